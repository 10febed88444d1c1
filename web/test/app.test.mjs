// The web app in headless Chromium (Debian's, driven by playwright-core) against a real hearthd
// with the `make run` demo home of simulated devices: sign up, sign in, a home's cards, a power
// switch that changes the simulated device, a change made elsewhere arriving live, a slider on a
// device page. Screenshots go to $HEARTH_ARTIFACTS (default web/test-artifacts); page weight and
// the time to render the device list are printed, not asserted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { chromium } from "playwright-core";

import { api, artifacts, build, demoToken, eventually, shadow, signIn, startDemo, stopDemo } from "./demo.mjs";

let base, browser, lampDid, data;

before(async () => {
  ({ base, lampDid, data } = await startDemo());
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
  await stopDemo();
});

test("a newcomer signs up and has no home yet", async () => {
  const page = await browser.newPage({ locale: "en-US" });
  await page.goto(base + "/");
  await page.getByRole("button", { name: "New here? Create an account" }).click();
  await page.getByLabel("Email").fill("newcomer@example.com");
  await page.getByLabel("Password").fill("a good long password");
  await page.getByRole("button", { name: "Create account" }).first().click();
  await page.getByText("No home yet.").waitFor();
  await page.close();
});

test("the demo home's cards show state, and a switch changes the simulated device", async () => {
  const page = await browser.newPage({ locale: "en-US", viewport: { width: 360, height: 740 } });
  const sizes = [];
  page.on("response", (r) => {
    if (!r.url().includes("/api/")) sizes.push(r.allHeaders().then((h) => Number(h["content-length"] ?? 0)));
  });
  await signIn(page);
  const started = Date.now();
  await page.locator(".card.device").nth(20).waitFor();
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  console.log(`web: the device list of 21 rendered ${Date.now() - started} ms after sign-in; ` +
              `the app's files: ${(bytes / 1024).toFixed(1)} KB over the wire (gzip)`);
  assert.equal(await page.locator(".card.device").count(), 21);
  await page.getByRole("tab", { name: "Study" }).click();
  assert.equal(await page.locator(".card.device").count(), 2);
  await page.screenshot({ path: join(artifacts, "home.png"), fullPage: true });

  const lamp = page.locator(`[data-did="${lampDid}"]`);
  const power = lamp.getByRole("switch");
  const before = (await shadow(lampDid))["2.1"];
  assert.equal(await power.getAttribute("aria-checked"), String(before));
  await power.click();
  await eventually(async () => (await shadow(lampDid))["2.1"] === !before);

  // A change made elsewhere (another session) arrives without a reload.
  const token = await demoToken();
  await api(`/api/v1/devices/${lampDid}/commands`, {
    method: "POST", token, body: { method: "set_properties", params: [{ siid: 2, piid: 1, value: before }] },
  });
  await eventually(async () => (await power.getAttribute("aria-checked")) === String(before), 3000);
  await page.close();
});

test("the assistant's chat box: 'here' is the room tab, and Chinese works too", async () => {
  const page = await browser.newPage({ locale: "en-US", viewport: { width: 360, height: 740 } });
  await signIn(page);
  await page.getByRole("tab", { name: "Study" }).click();
  await page.getByRole("button", { name: "Assistant" }).click();
  const box = page.getByRole("textbox", { name: "Ask or tell your home…" });
  await box.fill("turn off the lights");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator(".chat li.hearth", { hasText: "Turned off Desk Lamp." }).waitFor();
  await eventually(async () => (await shadow(lampDid))["2.1"] === false);
  await box.fill("打开书房的灯");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator(".chat li.hearth", { hasText: "已打开Desk Lamp。" }).waitFor();
  await eventually(async () => (await shadow(lampDid))["2.1"] === true);
  await box.fill("is the desk lamp on?");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator(".chat li.hearth", { hasText: "Yes." }).waitFor();
  await page.screenshot({ path: join(artifacts, "assistant.png") });
  await page.close();
});

test("the assistant's microphone: a spoken command (espeak-ng as the microphone) turns the lamp off", async () => {
  // Chromium's fake microphone plays a WAV file in a loop: the command, then silence longer than
  // the recording.
  const said = join(data, "said.wav");
  execFileSync("espeak-ng", ["-v", "en-us", "-s", "160", "-w", join(data, "command.wav"), "turn off the desk lamp"]);
  execFileSync("python3", ["-c", `
import wave, sys
a = wave.open(sys.argv[1]); frames = a.readframes(a.getnframes())
b = wave.open(sys.argv[2], "wb"); b.setparams(a.getparams())
b.writeframes(b"\\0" * a.getsampwidth() * 5000 + frames + b"\\0" * a.getsampwidth() * a.getframerate() * 20)`,
    join(data, "command.wav"), said]);
  const listening = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
           `--use-file-for-fake-audio-capture=${said}`],
  });
  try {
    const token = await demoToken();
    await api(`/api/v1/devices/${lampDid}/commands`, {
      method: "POST", token, body: { method: "set_properties", params: [{ siid: 2, piid: 1, value: true }] },
    });
    const page = await listening.newPage({ locale: "en-US" });
    await signIn(page);
    await page.getByRole("button", { name: "Assistant" }).click();
    await page.getByRole("button", { name: "Speak" }).click();
    await page.getByRole("button", { name: "Stop and send" }).waitFor();
    await new Promise((r) => setTimeout(r, 3000));
    await page.getByRole("button", { name: "Stop and send" }).click();
    await page.locator(".chat li.me", { hasText: "turn off the desk lamp" }).waitFor();
    await page.locator(".chat li.hearth", { hasText: "Turned off Desk Lamp." }).waitFor();
    await eventually(async () => (await shadow(lampDid))["2.1"] === false);
    await page.close();
  } finally {
    await listening.close();
  }
});

test("a device page has controls from the spec, and a slider moves the device", async () => {
  const page = await browser.newPage({ locale: "en-US" });
  await signIn(page);
  await page.locator(`[data-did="${lampDid}"] a`).click();
  await page.getByRole("heading", { name: "Desk Lamp" }).waitFor();
  const token = await demoToken();
  await api(`/api/v1/devices/${lampDid}/commands`, {
    method: "POST", token, body: { method: "set_properties", params: [{ siid: 2, piid: 1, value: true }] },
  });
  const slider = page.locator("#p-2-2");  // yeelink.light.color2 brightness, 1..100
  await slider.waitFor();
  await eventually(async () => !(await slider.isDisabled()));
  await slider.fill("30");
  await slider.dispatchEvent("change");
  await eventually(async () => (await shadow(lampDid))["2.2"] === 30);
  // Its history (a chart of the numeric properties) and its log, which shows the change just made.
  await page.locator(".chart canvas").first().waitFor();
  assert.ok(Number(await page.locator(".chart").getAttribute("data-points")) >= 1);
  await page.reload();
  await page.locator(".log.events li").first().waitFor();
  // People by their email, as the home's members see them (not "user:1").
  await page.locator(".log.events li", { hasText: /demo@hearth\.local set_properties 2\.2 = 30 ✓/ }).first().waitFor();
  assert.doesNotMatch(await page.locator(".log.events").innerText(), /user:\d/);
  await page.screenshot({ path: join(artifacts, "device.png"), fullPage: true });
  await page.close();
});

test("a device added with its bind code appears, offline until it connects", async () => {
  const [added] = JSON.parse(execFileSync(join(build, "apps", "hearth", "hearth"),
    ["device", "add", "--product", "philips.light.bulb", "--data-dir", data], { encoding: "utf8" }));
  const page = await browser.newPage({ locale: "en-US" });
  await signIn(page);
  await page.locator(".card.device").nth(20).waitFor();
  await page.getByRole("button", { name: "+ Add device" }).click();
  await page.getByLabel("Bind code").fill(added.bind_code.toLowerCase());  // typing is forgiven
  await page.getByLabel("Name").fill("Hall Light");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  const card = page.locator(`[data-did="${added.did}"]`);
  await card.waitFor();
  assert.match(await card.innerText(), /Hall Light[\s\S]*Offline/);
  assert.ok(await card.getByRole("switch").isDisabled());
  await page.close();
});

test("the app follows Chinese browsers", async () => {
  const page = await browser.newPage({ locale: "zh-CN" });
  await page.goto(base + "/");
  await page.getByRole("heading", { name: "登录" }).waitFor();
  await page.close();
});

test("rooms and invitations from the settings page; a guest sees the home but no device to control", async () => {
  const owner = await browser.newPage({ locale: "en-US" });
  await signIn(owner);
  await owner.getByRole("link", { name: "Settings" }).click();
  await owner.getByLabel("New room").fill("Garage");
  await owner.getByRole("button", { name: "Add", exact: true }).click();
  await eventually(async () => (await owner.locator('input[aria-label="Name"]').evaluateAll((els) => els.map((e) => e.value)))
    .includes("Garage"));
  await owner.getByLabel("Email").fill("newcomer@example.com");
  await owner.getByLabel("Role").selectOption("guest");
  await owner.getByRole("button", { name: "Invite" }).click();
  await owner.getByText("Invitation sent").waitFor();
  await owner.getByRole("button", { name: "← Back" }).click();
  await owner.getByRole("tab", { name: "Garage" }).waitFor();
  await owner.close();

  const guest = await browser.newPage({ locale: "en-US" });
  await guest.goto(base + "/");
  await guest.getByLabel("Email").fill("newcomer@example.com");
  await guest.getByLabel("Password").fill("a good long password");
  await guest.getByRole("button", { name: "Sign in" }).first().click();
  await guest.getByText("Demo Home · Guest").waitFor();  // the invitation names its home
  await guest.getByRole("button", { name: "Accept" }).click();
  await guest.getByRole("combobox", { name: "Home" }).waitFor();
  await guest.getByText("No devices here yet.").waitFor();
  assert.equal(await guest.locator(".card.device").count(), 0);
  // Nor can the guest command the lamp through the API behind the page.
  const token = (await api("/api/v1/auth/login", { method: "POST", body: { email: "newcomer@example.com", password: "a good long password" } })).access_token;
  const r = await fetch(`${base}/api/v1/devices/${lampDid}/commands`, {
    method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ method: "set_properties", params: [{ siid: 2, piid: 1, value: true }] }),
  });
  assert.ok(r.status === 403 || r.status === 404, `status ${r.status}`);
  await guest.screenshot({ path: join(artifacts, "guest.png"), fullPage: true });
  await guest.close();
});

test("an operator sees the platform's figures", async () => {
  execFileSync(join(build, "apps", "hearth", "hearth"),
    ["user", "add", "ops@example.com", "--password", "operator password", "--admin", "--data-dir", data]);
  const page = await browser.newPage({ locale: "en-US" });
  await page.goto(base + "/");
  await page.getByLabel("Email").fill("ops@example.com");
  await page.getByLabel("Password").fill("operator password");
  await page.getByRole("button", { name: "Sign in" }).first().click();
  await page.getByRole("link", { name: "Operator" }).click();
  await page.getByText("Devices by type").waitFor();
  assert.match(await page.locator(".bars").innerText(), /light/);
  await page.screenshot({ path: join(artifacts, "operator.png"), fullPage: true });
  await page.close();
});

test("a home of 200 devices: how long its device list takes (printed, not asserted)", async () => {
  const token = await demoToken();
  const big = await api("/api/v1/homes", { method: "POST", token, body: { name: "Big Home" } });
  await api(`/api/v1/homes/${big.id}/rooms`, { method: "POST", token, body: { name: "Attic" } });
  const added = JSON.parse(execFileSync(join(build, "apps", "hearth", "hearth"),
    ["device", "add", "--product", "zimi.outlet.v2", "--count", "200", "--data-dir", data], { encoding: "utf8" }));
  for (const d of added) {
    await api(`/api/v1/homes/${big.id}/devices`, { method: "POST", token, body: { bind_code: d.bind_code } });
  }
  const page = await browser.newPage({ locale: "en-US" });
  await signIn(page);
  await page.locator(".card.device").first().waitFor();
  const started = Date.now();
  await page.goto(`${base}/homes/${big.id}`);
  await page.locator(".card.device").nth(199).waitFor();
  const loaded = Date.now() - started;
  // The list alone: from a tab click (the empty Attic → All) to the 200 cards laid out and painted.
  const render = await page.evaluate(async () => {
    const [all, other] = [...document.querySelectorAll(".tab")];
    other?.click();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
    const t0 = performance.now();
    all.click();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
    return { ms: performance.now() - t0, cards: document.querySelectorAll(".card.device").length };
  });
  console.log(`web: a home of 200 devices: page and data ${loaded} ms; the list's render ${render.ms.toFixed(1)} ms`);
  assert.equal(render.cards, 200);
  await page.close();
});

test("a device is renamed, moved, shared and removed from its page; an offline one takes no changes", async () => {
  const token = await demoToken();
  const [added] = JSON.parse(execFileSync(join(build, "apps", "hearth", "hearth"),
    ["device", "add", "--product", "yeelink.light.ceiling4", "--data-dir", data], { encoding: "utf8" }));
  const [home] = (await api("/api/v1/homes", { token })).homes.filter((h) => h.name === "Demo Home");
  const bound = await api(`/api/v1/homes/${home.id}/devices`, { method: "POST", token, body: { bind_code: added.bind_code } });
  const page = await browser.newPage({ locale: "en-US" });
  page.on("dialog", (d) => d.accept());
  await signIn(page);
  await page.goto(`${base}/devices/${bound.did}`);
  await page.getByText("Offline", { exact: true }).waitFor();
  assert.ok(await page.locator("#p-2-1").isDisabled());  // its switch: nothing to send it to

  await page.getByLabel("Name", { exact: true }).fill("Porch Light");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Porch Light" }).waitFor();
  await page.getByLabel("Room").selectOption({ label: "Kitchen" });
  await eventually(async () => (await api(`/api/v1/devices/${bound.did}`, { token })).room_id !== 0);
  const device = await api(`/api/v1/devices/${bound.did}`, { token });
  assert.equal(device.name, "Porch Light");

  await page.locator("fieldset", { hasText: "Share" }).getByLabel("Email").fill("newcomer@example.com");
  await page.getByRole("button", { name: "Share", exact: true }).click();
  await page.getByRole("button", { name: "Stop sharing" }).waitFor();
  assert.equal((await api(`/api/v1/devices/${bound.did}/shares`, { token })).shares.length, 1);

  await page.getByRole("button", { name: "Remove device" }).click();
  await page.getByRole("combobox", { name: "Home" }).waitFor();
  assert.equal((await fetch(`${base}/api/v1/devices/${bound.did}`, { headers: { Authorization: `Bearer ${token}` } })).status, 404);
  await page.close();
});

test("in Chinese", async () => {
  const page = await browser.newPage({ locale: "zh-CN", viewport: { width: 360, height: 740 } });
  await page.goto(base + "/");
  await page.getByLabel("邮箱").fill("demo@hearth.local");
  await page.getByLabel("密码").fill("hearth-demo");
  await page.getByRole("button", { name: "登录" }).first().click();
  await page.getByRole("tab", { name: "全部" }).waitFor();
  await page.screenshot({ path: join(artifacts, "home-zh.png"), fullPage: true });
  await page.close();
});

test("installable: PNG icons in the manifest, and an offline shell that says the server is unreachable", async () => {
  const manifest = await (await fetch(`${base}/manifest.webmanifest`)).json();
  for (const icon of manifest.icons.filter((i) => i.type === "image/png")) {
    const r = await fetch(base + icon.src);
    assert.equal(r.headers.get("content-type"), "image/png");
  }
  assert.deepEqual(manifest.icons.filter((i) => i.type === "image/png").map((i) => i.sizes), ["192x192", "512x512"]);
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto(base + "/");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();  // now through the service worker, which keeps what it fetched
  await page.getByLabel("Email").waitFor();
  await context.setOffline(true);
  await page.reload();
  await page.getByText("The server cannot be reached.").waitFor();
  await page.getByLabel("Email").waitFor();  // the app itself still opens
  await context.close();
});
