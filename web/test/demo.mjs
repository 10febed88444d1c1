// The browser tests' demo: `scripts/run-demo` (the `make run` demo home of simulated devices) on
// free ports with a temporary data directory, and helpers for its API.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const repo = new URL("../../", import.meta.url).pathname;
export const build = process.env.HEARTH_BUILD_DIR ?? join(repo, "build", "release");
export const artifacts = process.env.HEARTH_ARTIFACTS ?? join(repo, "web", "test-artifacts");
export const demo = { process: null, base: "", lampDid: "", data: "" };

export async function startDemo() {
  mkdirSync(artifacts, { recursive: true });
  demo.data = mkdtempSync(join(tmpdir(), "hearth-web-"));
  demo.process = spawn(join(repo, "scripts", "run-demo"), ["--build-dir", build, "--data-dir", demo.data, "--http-port", "0",
    "--mqtt-tcp-port", "0", "--mqtt-ws-port", "-1", "--mqtt-tls-port", "-1"], { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  await new Promise((resolve, reject) => {
    demo.process.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("Press Ctrl-C")) resolve();
    });
    demo.process.on("exit", () => reject(new Error("the demo stopped: " + out)));
  });
  demo.base = out.match(/Web app\s+(http:\/\/localhost:\d+)\//)[1].replace("localhost", "127.0.0.1");
  demo.lampDid = out.match(/devices\/([0-9a-f]{16})\/properties/)[1];
  return demo;
}

export async function stopDemo() {
  demo.process?.kill("SIGINT");
  await new Promise((r) => demo.process?.on("exit", r));
  if (demo.data) rmSync(demo.data, { recursive: true, force: true });
}

export async function api(path, { method = "GET", body, token } = {}) {
  const r = await fetch(demo.base + path, {
    method, body: body && JSON.stringify(body),
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  return r.status === 204 ? null : r.json();
}

export async function demoToken() {
  return (await api("/api/v1/auth/login", { method: "POST", body: { email: "demo@hearth.local", password: "hearth-demo" } })).access_token;
}

export async function shadow(did) {
  const token = await demoToken();
  const r = await api(`/api/v1/devices/${did}/properties`, { token });
  return Object.fromEntries(r.properties.map((p) => [`${p.siid}.${p.piid}`, p.value]));
}

export async function eventually(check, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) assert.fail("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function signIn(page) {
  await page.goto(demo.base + "/");
  await page.getByLabel("Email").fill("demo@hearth.local");
  await page.getByLabel("Password").fill("hearth-demo");
  await page.getByRole("button", { name: "Sign in" }).first().click();
  await page.getByRole("combobox", { name: "Home" }).waitFor();
}
