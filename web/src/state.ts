// The app's view of a home's devices: their records, products, shadows and presence, kept current
// by the live updates; and the one path for changing a device (optimistic, rolled back with a
// reason when the device refuses or is offline).
import { api, ApiError } from "./api";
import type { Spec } from "./spec";

export interface Device {
  did: string;
  name: string;
  model: string;
  room_id: number;
  home_id: number;
  online: boolean;
}

export interface Room {
  id: number;
  name: string;
}

export type Values = Record<string, unknown>;  // "siid.piid" → value

// Where the person is in the app, for the assistant: the home on screen and the room tab chosen,
// which is "here" in "turn on the lights".
let place: { home: number | null; room: number | null } = { home: null, room: null };
export function setPlace(home: number | null, room: number | null) {
  place = { home, room };
}
export function currentPlace() {
  return place;
}

export const key = (siid: number, piid: number) => `${siid}.${piid}`;

const products = new Map<string, Promise<Spec>>();

export function product(model: string): Promise<Spec> {
  let p = products.get(model);
  if (!p) {
    p = api<{ spec: Spec }>("GET", `/api/v1/products/${encodeURIComponent(model)}`).then((r) => r.spec);
    products.set(model, p);
  }
  return p;
}

type Shadow = { siid: number; piid: number; value: unknown }[];

function valuesFrom(shadow: Shadow | null | undefined): Values {
  const out: Values = {};
  for (const p of shadow ?? []) out[key(p.siid, p.piid)] = p.value;
  return out;
}

// A home's devices with their shadows, a page of 100 per request.
export async function devicesOf(home: number): Promise<{ devices: Device[]; values: Record<string, Values> }> {
  const devices: Device[] = [];
  const values: Record<string, Values> = {};
  let after = "";
  for (;;) {
    const page = await api<{ devices: (Device & { properties?: Shadow | null })[]; next_after: string | null }>(
      "GET", `/api/v1/homes/${home}/devices?limit=100&properties=1${after ? `&after=${after}` : ""}`);
    for (const { properties, ...d } of page.devices) {
      devices.push(d);
      values[d.did] = valuesFrom(properties);
    }
    if (!page.next_after) return { devices, values };
    after = page.next_after;
  }
}

export async function valuesOf(did: string): Promise<Values> {
  return valuesFrom((await api<{ properties: Shadow }>("GET", `/api/v1/devices/${did}/properties`)).properties);
}

const kOffline = -704042011;

// Sets one property; resolves to an error text for a person, or null when the device did it.
export async function setProperty(did: string, siid: number, piid: number, value: unknown,
                                  say: { offline: string; refused: string }): Promise<string | null> {
  try {
    const r = await api<{ result: { code: number }[] }>("POST", `/api/v1/devices/${did}/commands`, {
      method: "set_properties", params: [{ siid, piid, value }],
    });
    const code = r.result[0]?.code ?? -1;
    if (code === 0 || code === 1) return null;
    return code === kOffline ? say.offline : `${say.refused} (${code})`;
  } catch (e) {
    return e instanceof ApiError ? e.message : String(e);
  }
}

export async function runAction(did: string, siid: number, aiid: number, input: unknown[],
                                say: { offline: string; refused: string }): Promise<string | null> {
  try {
    const r = await api<{ result: { code: number } }>("POST", `/api/v1/devices/${did}/commands`, {
      method: "action", params: { siid, aiid, in: input },
    });
    if (r.result.code === 0) return null;
    return r.result.code === kOffline ? say.offline : `${say.refused} (${r.result.code})`;
  } catch (e) {
    return e instanceof ApiError ? e.message : String(e);
  }
}

// The latest of a device's events that `wanted` keeps (a door's open or close, a motion), from
// the last hour, else day, else week: the API lists the oldest first, so the narrowest window
// that has one holds the latest.
export async function lastEventOf(did: string, wanted: (siid: number, eiid: number) => boolean):
    Promise<{ siid: number; eiid: number; ts: number } | null> {
  const now = Date.now();
  for (const span of [3600_000, 86400_000, 7 * 86400_000]) {
    const r = await api<{ events: { kind: string; siid?: number; eiid?: number; ts: number }[] }>(
      "GET", `/api/v1/devices/${did}/events?from_ms=${now - span}&to_ms=${now + 1}&limit=1000`);
    const found = r.events.filter((e) => e.kind === "event" && wanted(e.siid ?? 0, e.eiid ?? 0)).pop();
    if (found) return { siid: found.siid ?? 0, eiid: found.eiid ?? 0, ts: found.ts };
  }
  return null;
}
