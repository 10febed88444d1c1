// A card's key reading: what a person wants to know of a device at a glance, chosen by its device
// type (the spec's urn:…:device:<type>:…) from MIoT-Spec-V2's standard property and event names:
// a thermometer's temperature and humidity, a plug's power, a curtain's position, whether a door
// is open (its latest open or close event), when a motion sensor last saw motion. A battery level
// is never the key reading of a device that has something better to say.
import { type Control, kUnits, localized, show, type Spec, typeName } from "./spec";

export interface PropertyReading extends Pick<Control, "unit" | "options"> {
  siid: number;
  piid: number;
}

export interface EventRef {
  siid: number;
  eiid: number;
}

export type KeyReading =
  // Each of these properties' values, joined; a light's only while it is on.
  | { kind: "properties"; properties: PropertyReading[]; whileOn?: boolean }
  // The latest of the open and close events.
  | { kind: "contact"; open: EventRef; close: EventRef }
  // When motion was last detected.
  | { kind: "motion"; motion: EventRef };

// By device type: groups of property names, the first of each group that the product has.
const kProperties: Record<string, string[][]> = {
  light: [["brightness"]],
  outlet: [["electric-power", "surge-power"]],
  switch: [["electric-power", "surge-power"]],
  "temperature-humidity-sensor": [["temperature"], ["relative-humidity"]],
  "air-conditioner": [["temperature", "target-temperature"]],
  curtain: [["current-position", "target-position"]],
  vacuum: [["status"], ["battery-level"]],
  speaker: [["volume"]],
};
// Any other type: the first of these that it has.
const kOtherwise = [["temperature", "relative-humidity", "current-position", "target-position", "status", "volume"]];

// Power is in watts where a spec leaves the unit out (zimi.outlet.v2's surge-power).
const kDefaultUnits: Record<string, string> = { "electric-power": "W", "surge-power": "W" };

function propertyNamed(spec: Spec, name: string, locale: string): PropertyReading | null {
  for (const s of spec.services) {
    if (typeName(s.type) === "device-information") continue;
    const p = s.properties?.find((q) => typeName(q.type) === name && (q.access.includes("read") || q.access.includes("notify")));
    if (p) {
      const options = p["value-list"]?.map((v) => ({ value: v.value, label: localized(v.description, locale) }));
      return { siid: s.iid, piid: p.iid, unit: kUnits[p.unit ?? ""] ?? kDefaultUnits[name] ?? "", options };
    }
  }
  return null;
}

function eventNamed(spec: Spec, name: string): EventRef | null {
  for (const s of spec.services) {
    const e = s.events?.find((x) => typeName(x.type) === name);
    if (e) return { siid: s.iid, eiid: e.iid };
  }
  return null;
}

export function keyReadingOf(spec: Spec, locale: string): KeyReading | null {
  const type = typeName(spec.type);
  if (type === "magnet-sensor") {
    const open = eventNamed(spec, "open");
    const close = eventNamed(spec, "close");
    if (open && close) return { kind: "contact", open, close };
  }
  if (type === "motion-sensor") {
    const motion = eventNamed(spec, "motion-detected");
    if (motion) return { kind: "motion", motion };
  }
  const groups = kProperties[type] ?? kOtherwise;
  const properties = groups.map((names) => names.map((n) => propertyNamed(spec, n, locale)).find((p) => p !== null))
    .filter((p): p is PropertyReading => p !== undefined && p !== null);
  if (properties.length === 0) return null;
  return type === "light" ? { kind: "properties", properties, whileOn: true } : { kind: "properties", properties };
}

// Whether an event is one the reading follows.
export function follows(reading: KeyReading | null, siid: number, eiid: number): boolean {
  const is = (e: EventRef) => e.siid === siid && e.eiid === eiid;
  if (reading?.kind === "contact") return is(reading.open) || is(reading.close);
  if (reading?.kind === "motion") return is(reading.motion);
  return false;
}

// When a device's events last happened: "siid.eiid" → ms.
export type EventTimes = Record<string, number>;

export interface Say {
  open: string;
  closed: string;
  motion: string;  // "Motion", followed by when
  lang: string;    // for "5 minutes ago"
}

// "5 minutes ago", "2 hours ago", in the person's language.
export function ago(ts: number, now: number, lang: string): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  if (s < 60) return rtf.format(-s, "second");
  if (s < 3600) return rtf.format(-Math.floor(s / 60), "minute");
  if (s < 86400) return rtf.format(-Math.floor(s / 3600), "hour");
  return rtf.format(-Math.floor(s / 86400), "day");
}

// The card's text for its reading: "22.5 °C · 48 %", "Open", "Motion 5 minutes ago"; null when
// there is nothing to say (a light that is off).
export function readingText(reading: KeyReading, values: Record<string, unknown>, events: EventTimes, on: boolean,
                            now: number, say: Say): string | null {
  const when = (e: EventRef) => events[`${e.siid}.${e.eiid}`];
  if (reading.kind === "properties") {
    if (reading.whileOn && !on) return null;
    return reading.properties.map((p) => show(values[`${p.siid}.${p.piid}`], p)).join(" · ");
  }
  if (reading.kind === "contact") {
    const [opened, closed] = [when(reading.open), when(reading.close)];
    if (opened === undefined && closed === undefined) return "—";
    return (opened ?? -1) > (closed ?? -1) ? say.open : say.closed;
  }
  const moved = when(reading.motion);
  return moved === undefined ? "—" : `${say.motion} ${ago(moved, now, say.lang)}`;
}
