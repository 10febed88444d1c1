// What the app reads from a product's MIoT-Spec-V2 instance (GET /api/v1/products/{model}):
// the controls of its device page and its power switch (reading.ts: a card's key reading).

export type Description = string | Record<string, string>;

export interface SpecProperty {
  iid: number;
  type: string;
  description: Description;
  format: string;
  access: string[];
  unit?: string;
  "value-range"?: [number, number, number];
  "value-list"?: { value: number; description: Description }[];
}

export interface SpecAction {
  iid: number;
  type: string;
  description: Description;
  in: (number | { piid: number })[];
}

export interface SpecService {
  iid: number;
  type: string;
  description: Description;
  properties?: SpecProperty[];
  actions?: SpecAction[];
  events?: { iid: number; type: string; description: Description }[];
}

export interface Spec {
  type: string;
  description: Description;
  services: SpecService[];
}

// "urn:miot-spec-v2:property:on:00000006:..." → "on"
export function typeName(urn: string): string {
  return urn.split(":")[3] ?? urn;
}

// A description in the person's language when the spec has a locale map.
export function localized(d: Description, locale: string): string {
  if (typeof d === "string") return d;
  return d[locale] ?? d[locale.split("-")[0]] ?? d["en-US"] ?? Object.values(d)[0] ?? "";
}

export const kUnits: Record<string, string> = {
  celsius: "°C", percentage: "%", kelvin: "K", watt: "W", kwh: "kWh", lux: "lx", seconds: "s", minutes: "min",
  hours: "h", rgb: "",
};

export type ControlKind = "switch" | "slider" | "select" | "color" | "reading" | "text";

export interface Control {
  siid: number;
  piid: number;
  name: string;
  kind: ControlKind;
  writable: boolean;
  unit: string;
  range?: [number, number, number];
  options?: { value: number; label: string }[];
}

export interface ActionControl {
  siid: number;
  aiid: number;
  name: string;
  inputs: { piid: number; name: string }[];
}

export interface Section {
  name: string;
  controls: Control[];
  actions: ActionControl[];
}

function controlOf(s: SpecService, p: SpecProperty, locale: string): Control | null {
  const readable = p.access.includes("read") || p.access.includes("notify");
  const writable = p.access.includes("write");
  if (!readable && !writable) return null;
  const base = { siid: s.iid, piid: p.iid, name: localized(p.description, locale), writable, unit: kUnits[p.unit ?? ""] ?? "" };
  if (p.format === "bool") return { ...base, kind: writable ? "switch" : "reading" };
  if (typeName(p.type) === "color" && writable) return { ...base, kind: "color" };
  if (p["value-list"]?.length) {
    return {
      ...base,
      kind: writable ? "select" : "reading",
      options: p["value-list"].map((v) => ({ value: v.value, label: localized(v.description, locale) })),
    };
  }
  if (p["value-range"] && p.format !== "string") return { ...base, kind: writable ? "slider" : "reading", range: p["value-range"] };
  return { ...base, kind: writable ? "text" : "reading" };
}

// The device page: one section per service (device-information last), its properties as
// controls and its actions as buttons.
export function sections(spec: Spec, locale: string): Section[] {
  const out: Section[] = [];
  for (const s of spec.services) {
    const controls = (s.properties ?? []).map((p) => controlOf(s, p, locale)).filter((c): c is Control => c !== null);
    const actions = (s.actions ?? []).map((a) => ({
      siid: s.iid,
      aiid: a.iid,
      name: localized(a.description, locale),
      inputs: a.in.map((arg) => {
        const piid = typeof arg === "number" ? arg : arg.piid;
        const p = s.properties?.find((q) => q.iid === piid);
        return { piid, name: p ? localized(p.description, locale) : String(piid) };
      }),
    }));
    if (controls.length || actions.length) out.push({ name: localized(s.description, locale), controls, actions });
  }
  const info = spec.services.findIndex((s) => typeName(s.type) === "device-information");
  if (info >= 0 && info < out.length) out.push(...out.splice(info, 1));
  return out;
}

const kPowerServices = ["light", "switch", "air-conditioner", "outlet", "fan", "heater", "air-purifier", "television"];

// The switch a card shows: the writable "on" of the device's main service.
export function powerOf(spec: Spec): { siid: number; piid: number } | null {
  const device = typeName(spec.type);
  let found: { siid: number; piid: number } | null = null;
  for (const s of spec.services) {
    const name = typeName(s.type);
    const on = s.properties?.find((p) => typeName(p.type) === "on" && p.format === "bool" && p.access.includes("write"));
    if (!on) continue;
    if (name === device || kPowerServices.includes(name)) return { siid: s.iid, piid: on.iid };
    found ??= name === "indicator-light" ? null : { siid: s.iid, piid: on.iid };
  }
  return found;
}

// A value as a person reads it: a list entry's label, a number with its unit.
export function show(value: unknown, control: Pick<Control, "options" | "unit">): string {
  if (value === undefined || value === null) return "—";
  const option = control.options?.find((o) => o.value === value);
  if (option) return option.label;
  if (typeof value === "boolean") return value ? "✓" : "✗";
  return `${value}${control.unit ? ` ${control.unit}` : ""}`;
}
