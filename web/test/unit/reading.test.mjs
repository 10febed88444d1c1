// The key reading and the icon of a card, for each device type of the demo's products
// (etc/demo/specs, the products scripts/run-demo puts in the demo home).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";

import { load } from "./load.mjs";

const { keyReadingOf, readingText } = await load("reading.ts");
const { iconName } = await load("icons.tsx");
const specsDir = new URL("../../../etc/demo/specs/", import.meta.url).pathname;
const say = { open: "Open", closed: "Closed", motion: "Motion", lang: "en" };
const now = Date.UTC(2026, 11, 7, 20, 0);
const props = (r) => r.properties.map((p) => `${p.siid}.${p.piid} ${p.unit}`.trim());

const all = readdirSync(specsDir).map((f) => JSON.parse(readFileSync(specsDir + f, "utf8")));
const ofType = (type) => all.filter((s) => s.type.split(":")[3] === type);

test("these tests cover every device type of the demo home's products", () => {
  const demo = readFileSync(new URL("../../../scripts/run-demo", import.meta.url), "utf8");
  const models = [...demo.matchAll(/\("[^"]+", "[^"]+", "([a-z0-9-]+)\.([a-z0-9-]+)\.([a-z0-9-]+)"\)/g)];
  assert.equal(models.length, 21);
  const types = new Set(models.map((m) => m[2]));
  assert.deepEqual([...types].sort(), ["air-conditioner", "curtain", "light", "magnet-sensor", "motion-sensor", "outlet",
    "speaker", "temperature-humidity-sensor", "vacuum"]);
  for (const type of types) assert.ok(ofType(type).length > 0, type);
});

test("a door or window sensor says open or closed, from its latest open or close event", () => {
  const [spec] = ofType("magnet-sensor");
  const r = keyReadingOf(spec, "en-US");
  assert.deepEqual(r, { kind: "contact", open: { siid: 2, eiid: 1 }, close: { siid: 2, eiid: 2 } });
  assert.equal(readingText(r, { "3.1": 81 }, { "2.1": now }, false, now, say), "Open");
  assert.equal(readingText(r, { "3.1": 81 }, { "2.1": now - 60_000, "2.2": now }, false, now, say), "Closed");
  assert.equal(readingText(r, { "3.1": 81 }, { "2.1": now, "2.2": now - 60_000, "2.3": now + 1 }, false, now, say), "Open");
  assert.equal(readingText(r, { "3.1": 81 }, { "3.1": now }, false, now, say), "—");  // not the battery's 81 %
});

test("a motion sensor says when it last saw motion", () => {
  const [spec] = ofType("motion-sensor");
  const r = keyReadingOf(spec, "en-US");
  assert.deepEqual(r, { kind: "motion", motion: { siid: 2, eiid: 1 } });
  assert.equal(readingText(r, { "3.1": 81 }, { "2.1": now - 5 * 60_000, "2.2": now }, false, now, say),
               "Motion 5 minutes ago");
  assert.equal(readingText(r, {}, { "2.1": now - 3 * 3600_000 }, false, now, say), "Motion 3 hours ago");
  assert.equal(readingText(r, { "3.1": 81 }, {}, false, now, say), "—");
});

test("a plug shows the power it draws in W; one that cannot measure it shows nothing but its switch", () => {
  const [zimi] = all.filter((s) => s.type.includes(":zimi:v2:"));
  const r = keyReadingOf(zimi, "en-US");
  assert.deepEqual(props(r), ["3.1 W"]);  // power-consumption.surge-power, not the plug's temperature
  assert.equal(readingText(r, { "3.1": 23.5, "2.2": 40 }, {}, true, now, say), "23.5 W");
  const [m3] = all.filter((s) => s.type.includes(":chuangmi:m3:"));
  assert.equal(keyReadingOf(m3, "en-US"), null);
});

test("a thermometer shows temperature and humidity", () => {
  const [spec] = ofType("temperature-humidity-sensor");
  const r = keyReadingOf(spec, "en-US");
  assert.deepEqual(props(r), ["2.1 °C", "2.2 %"]);
  assert.equal(readingText(r, { "2.1": 22.5, "2.2": 48 }, {}, false, now, say), "22.5 °C · 48 %");
});

test("a light shows its brightness while it is on", () => {
  const lights = ofType("light");
  assert.equal(lights.length, 4);
  for (const spec of lights) {
    const r = keyReadingOf(spec, "en-US");
    assert.deepEqual(props(r), ["2.2 %"], spec.type);
    assert.equal(readingText(r, { "2.1": true, "2.2": 60 }, {}, true, now, say), "60 %");
    assert.equal(readingText(r, { "2.1": false, "2.2": 60 }, {}, false, now, say), null);
  }
});

test("an air conditioner shows the room's temperature, a curtain its position, a speaker its volume", () => {
  assert.deepEqual(props(keyReadingOf(ofType("air-conditioner")[0], "en-US")), ["4.1 °C"]);
  assert.deepEqual(props(keyReadingOf(ofType("curtain")[0], "en-US")), ["1.3 %"]);
  assert.deepEqual(props(keyReadingOf(ofType("speaker")[0], "en-US")), ["2.1 %"]);
});

test("a vacuum shows what it is doing and its battery", () => {
  const [spec] = ofType("vacuum");
  const r = keyReadingOf(spec, "en-US");
  assert.deepEqual(props(r), ["2.1", "3.1 %"]);
  const status = spec.services[1].properties[0]["value-list"][0];
  assert.equal(readingText(r, { "2.1": status.value, "3.1": 90 }, {}, false, now, say),
               `${status.description} · 90 %`);
});

test("every demo product's card has an icon of its own type", () => {
  for (const spec of all) {
    const type = spec.type.split(":")[3];
    assert.equal(iconName(type), type, spec.type);
  }
  assert.equal(iconName("switch"), "outlet");
  assert.equal(iconName("dehumidifier"), "other");
});
