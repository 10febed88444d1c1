// The web app as a person uses it over time, in headless Chromium against the demo: the live
// connection after the server was unreachable, an expired token in several requests and tabs at
// once, switching home while a home loads, the cards' key readings and icons, and a week of
// history on first sight.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { chromium } from "playwright-core";

import { api, build, demo, demoToken, signIn, startDemo, stopDemo } from "./demo.mjs";

let browser;

before(async () => {
  await startDemo();
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
  await stopDemo();
});

const liveBadge = (page, text) => page.locator(".badge").filter({ hasText: text });

test("the live connection comes back after the server was unreachable, retrying with backoff", async () => {
  const page = await browser.newPage({ locale: "en-US" });
  let down = false;
  const attempts = [];  // when the page tried to connect while the server was unreachable
  let attempted = () => {};
  const sockets = [];
  await page.routeWebSocket(/\/api\/v1\/ws$/, (ws) => {
    if (down) {
      attempts.push(Date.now());
      attempted();
      ws.close();
      return;
    }
    ws.connectToServer();
    sockets.push(ws);
  });
  await signIn(page);
  await liveBadge(page, /^Live$/).waitFor();

  // The server goes away as the access token expires: the socket is told so and closed, and
  // neither a new socket nor the token's refresh reaches the server.
  down = true;
  let refreshes = 0;
  await page.route("**/api/v1/auth/refresh", (route) => {
    refreshes++;
    return route.abort("connectionrefused");
  });
  sockets[0].send(JSON.stringify({ type: "error", code: "unauthenticated", message: "the access token has expired" }));
  sockets[0].close();
  await liveBadge(page, /Offline · retrying in \d+ s/).waitFor();
  while (attempts.length < 4) {
    await new Promise((resolve, reject) => {
      attempted = resolve;
      setTimeout(() => reject(new Error(`no new attempt after ${attempts.length}`)), 10_000);
    });
  }
  assert.equal(refreshes, 1, "the refresh was tried, and failed");
  // Each wait is within the upper half of a doubling step: 0.5–1 s, 1–2 s, 2–4 s (with room for
  // the time the test takes to hear of each attempt on a loaded machine).
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
  assert.ok(gaps[2] >= 1500 && gaps[2] > gaps[0] + 500 && attempts[3] - attempts[0] >= 3000,
            `waits grow: ${gaps.join(", ")} ms`);

  // The server is back: the next try connects.
  down = false;
  await page.unroute("**/api/v1/auth/refresh");
  await liveBadge(page, /^Live$/).waitFor({ timeout: 20_000 });
  await page.close();
});

test("requests refused for an expired token refresh it once, in one tab and across tabs", async () => {
  const context = await browser.newContext({ locale: "en-US" });
  const first = await context.newPage();
  await signIn(first);
  let refreshes = 0;
  context.on("request", (r) => { if (r.url().endsWith("/api/v1/auth/refresh")) refreshes++; });
  // The access token has expired (here: is unusable) while the refresh token still works; two
  // tabs open at once, each sending several requests with it.
  await first.evaluate(() => {
    const tokens = JSON.parse(localStorage.getItem("hearth.tokens"));
    localStorage.setItem("hearth.tokens", JSON.stringify({ ...tokens, access_token: "hat_expired" }));
  });
  const [a, b] = await Promise.all([context.newPage(), context.newPage()]);
  await Promise.all([a.goto(demo.base + "/"), b.goto(demo.base + "/")]);
  await Promise.all([a, b].map((p) => p.getByRole("combobox", { name: "Home" }).waitFor()));
  await Promise.all([a, b].map((p) => liveBadge(p, /^Live$/).waitFor()));
  assert.equal(refreshes, 1);
  // Both tabs, and a reload, are still signed in with the one new token.
  const token = await a.evaluate(() => JSON.parse(localStorage.getItem("hearth.tokens")).access_token);
  assert.notEqual(token, "hat_expired");
  assert.ok((await api("/api/v1/users/me", { token })).email);
  await b.reload();
  await b.getByRole("combobox", { name: "Home" }).waitFor();
  await context.close();
});

test("switching home while a home loads shows only the new home and leaves one socket", async () => {
  const token = await demoToken();
  const [demoHome] = (await api("/api/v1/homes", { token })).homes.filter((h) => h.name === "Demo Home");
  const beach = await api("/api/v1/homes", { method: "POST", token, body: { name: "Beach House" } });
  const [plug] = JSON.parse(execFileSync(join(build, "apps", "hearth", "hearth"),
    ["device", "add", "--product", "zimi.outlet.v2", "--data-dir", demo.data], { encoding: "utf8" }));
  await api(`/api/v1/homes/${beach.id}/devices`, { method: "POST", token, body: { bind_code: plug.bind_code, name: "Porch Plug" } });

  const page = await browser.newPage({ locale: "en-US" });
  const sockets = [];
  page.on("websocket", (ws) => sockets.push(ws));
  // The demo home's device list is held back until the person has switched to the beach house.
  let held;
  let hold;
  const holding = new Promise((resolve) => { hold = resolve; });
  await page.route(new RegExp(`/api/v1/homes/${demoHome.id}/devices\\?`), (route) => {
    held = route;
    hold();
  }, { times: 1 });
  await signIn(page);
  await holding;
  await page.getByRole("combobox", { name: "Home" }).selectOption({ label: "Beach House" });
  await page.locator(`[data-did="${plug.did}"]`).waitFor();
  await liveBadge(page, /^Live$/).waitFor();

  // Now the demo home's list arrives; what the old load does with it ends with the specs of its
  // products (all but the plug's, which the beach house's load fetched), then a render.
  const models = new Set((await api(`/api/v1/homes/${demoHome.id}/devices?limit=100`, { token })).devices
    .map((d) => d.model).filter((m) => m !== "zimi.outlet.v2"));
  const specsLoaded = new Promise((resolve) => page.on("requestfinished", (r) => {
    const model = r.url().match(/\/api\/v1\/products\/([^/?]+)$/)?.[1];
    if (model && models.delete(decodeURIComponent(model)) && models.size === 0) resolve();
  }));
  await held.continue();
  await specsLoaded;
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
  assert.deepEqual(await page.locator(".card.device").evaluateAll((cards) => cards.map((c) => c.dataset.did)), [plug.did]);
  assert.equal(sockets.filter((ws) => !ws.isClosed()).length, 1);
  await page.close();
});

test("cards show what matters by device type, with an icon of their type", async () => {
  const page = await browser.newPage({ locale: "en-US" });
  await signIn(page);
  const card = (name) => page.locator(".card.device", { has: page.getByRole("link", { name, exact: true }) });
  await card("Front Door").locator(".reading").filter({ hasText: /^(Open|Closed)$/ }).waitFor();
  await card("Window Sensor").locator(".reading").filter({ hasText: /^(Open|Closed)$/ }).waitFor();
  await card("Motion Sensor").locator(".reading").filter({ hasText: /^Motion / }).waitFor();
  assert.match(await card("TV Plug").locator(".reading").innerText(), /^[\d.]+ W$/);
  assert.match(await card("Thermometer").first().locator(".reading").innerText(), /^[\d.]+ °C · [\d.]+ %$/);
  assert.match(await card("Curtain").first().locator(".reading").innerText(), /^\d+ %$/);
  const icons = Object.fromEntries(await page.locator(".card.device").evaluateAll((cards) =>
    cards.map((c) => [c.querySelector("strong").textContent, c.querySelector(".icon")?.dataset.icon])));
  assert.equal(icons["Front Door"], "magnet-sensor");
  assert.equal(icons["Motion Sensor"], "motion-sensor");
  assert.equal(icons["Desk Lamp"], "light");
  assert.equal(icons["TV Plug"], "outlet");
  assert.equal(icons["Robot Vacuum"], "vacuum");
  assert.ok(Object.values(icons).every((i) => i && i !== "other"), JSON.stringify(icons));
  await page.close();
});

test("a newcomer's charts show the demo's past week", async () => {
  const page = await browser.newPage({ locale: "en-US" });
  await signIn(page);
  await page.locator(".card.device", { has: page.getByRole("link", { name: "Thermometer", exact: true }) })
    .first().getByRole("link").click();
  await page.getByRole("heading", { name: "Thermometer" }).waitFor();
  await page.getByRole("button", { name: "Week" }).click();
  // 120 intervals of 84 minutes: the seeded week fills (nearly) all of them, a few live minutes one.
  await page.waitForFunction(() => Number(document.querySelector(".chart")?.dataset.points) >= 100);
  await page.close();
});
