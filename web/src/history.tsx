// A device's history: a chart of one numeric property over the last hour, day or week, with the
// min/max band of each interval around its average (the API's downsampled buckets), and the
// device's event log (its events and the changes people made).
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

import { api } from "./api";
import { useUi } from "./ui";
import { localized, type Spec, typeName } from "./spec";

interface Bucket {
  start_ms: number;
  min: number;
  max: number;
  avg: number;
}

export interface Numeric {
  siid: number;
  piid: number;
  name: string;
  unit?: string;
}

// The properties worth a chart: numbers with a range that the device reports.
export function numericProperties(spec: Spec, locale: string): Numeric[] {
  const out: Numeric[] = [];
  for (const s of spec.services) {
    for (const p of s.properties ?? []) {
      const reported = p.access.includes("read") || p.access.includes("notify");
      if (reported && p["value-range"] && !p["value-list"] && p.format !== "bool" && p.format !== "string") {
        out.push({ siid: s.iid, piid: p.iid, name: localized(p.description, locale), unit: p.unit });
      }
    }
  }
  return out;
}

const kSpans = { hour: 3600_000, day: 86400_000, week: 7 * 86400_000 } as const;
type Span = keyof typeof kSpans;

export function HistoryChart({ did, properties }: { did: string; properties: Numeric[] }) {
  const { t } = useUi();
  const [which, setWhich] = useState(0);
  const [span, setSpan] = useState<Span>("day");
  const [buckets, setBuckets] = useState<Bucket[]>([]);
  const box = useRef<HTMLDivElement>(null);
  const p = properties[which];

  const [range, setRange] = useState<[number, number]>([0, 0]);
  useEffect(() => {
    if (!p) return;
    const to = Date.now();
    setRange([(to - kSpans[span]) / 1000, to / 1000]);
    api<{ buckets: Bucket[] }>("GET",
      `/api/v1/devices/${did}/history?siid=${p.siid}&piid=${p.piid}&from_ms=${to - kSpans[span]}&to_ms=${to}&points=120`)
      .then((r) => setBuckets(r.buckets), () => setBuckets([]));
  }, [did, p?.siid, p?.piid, span]);

  useEffect(() => {
    if (!box.current || !p) return;
    const x = buckets.map((b) => b.start_ms / 1000);
    const chart = new uPlot({
      width: Math.min(box.current.clientWidth || 320, 900),
      height: 200,
      series: [
        {},
        { label: "max", stroke: "#ffb380", width: 1 },
        { label: p.name, stroke: "#ff6a00", width: 2 },
        { label: "min", stroke: "#ffb380", width: 1 },
      ],
      bands: [{ series: [1, 3], fill: "rgba(255,106,0,0.12)" }],
      scales: { x: { time: true, range: () => range } },
      axes: [{}, { label: p.unit ?? "" }],
      legend: { show: false },
    }, [x, buckets.map((b) => b.max), buckets.map((b) => b.avg), buckets.map((b) => b.min)], box.current);
    return () => chart.destroy();
  }, [buckets]);

  if (!p) return null;
  return (
    <fieldset class="card">
      <legend>{t("history")}</legend>
      <div class="row">
        <select aria-label={t("history")} value={which} onChange={(e) => setWhich(Number(e.currentTarget.value))}>
          {properties.map((q, i) => <option value={i}>{q.name}</option>)}
        </select>
        {(Object.keys(kSpans) as Span[]).map((s) => (
          <button class={span === s ? "tab active" : "tab"} aria-pressed={span === s} onClick={() => setSpan(s)}>
            {t(s)}
          </button>
        ))}
      </div>
      {buckets.length === 0 && <p class="muted">{t("noHistory")}</p>}
      <div ref={box} class="chart" data-points={buckets.length} />
    </fieldset>
  );
}

interface Item {
  siid: number;
  piid: number;
  value?: unknown;
  code?: number;
}

interface LogEntry {
  kind: "event" | "change";
  siid?: number;
  eiid?: number;
  arguments?: { piid: number; value: unknown }[];
  actor?: string;
  action?: string;
  detail?: { params?: Item[] | { siid: number; aiid: number }; name?: string; room_id?: number };
  result?: { code?: number; result?: Item[] | { code: number } };
  ts: number;
}

// "ann@example.com set_properties 2.1 = true ✓" from an audit entry's request and the device's
// answer; `who` names its actor.
function describeChange(e: LogEntry, who: (actor: string) => string): string {
  const params = e.detail?.params;
  const items = Array.isArray(params) ? params.map((p) => `${p.siid}.${p.piid}${"value" in p ? ` = ${JSON.stringify(p.value)}` : ""}`) : [];
  const answer = e.result?.result;
  const codes = Array.isArray(answer) ? answer.map((r) => r.code ?? 0) : [answer?.code ?? e.result?.code ?? 0];
  const ok = codes.every((c) => c === 0 || c === 1);
  const what = e.detail?.name ? `"${e.detail.name}"` : items.join(", ");
  return `${who(e.actor ?? "")} ${e.action ?? ""} ${what} ${ok ? "✓" : `✗ ${codes.filter((c) => c !== 0).join(", ")}`}`;
}

// People as the home's members see each other: "user:<id>" → their email. Someone who is no
// longer a member (or a log read by a person the device is shared with, who may not list the
// members) is "someone"; other actors ("operator") keep their name.
function useActors(home: number, someone: string): (actor: string) => string {
  const [emails, setEmails] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!home) return;
    api<{ members: { user_id: number; email: string }[] }>("GET", `/api/v1/homes/${home}/members?limit=100`)
      .then((r) => setEmails(Object.fromEntries(r.members.map((m) => [`user:${m.user_id}`, m.email]))), () => {});
  }, [home]);
  return (actor) => emails[actor] ?? (actor.startsWith("user:") ? someone : actor);
}

export function EventLog({ did, home, spec }: { did: string; home: number; spec: Spec }) {
  const { t, locale } = useUi();
  const who = useActors(home, t("someone"));
  const [events, setEvents] = useState<LogEntry[]>([]);
  useEffect(() => {
    api<{ events: LogEntry[] }>("GET", `/api/v1/devices/${did}/events?from_ms=${Date.now() - kSpans.week}&limit=50`)
      .then((r) => setEvents(r.events.reverse()), () => setEvents([]));
  }, [did]);
  const eventName = (e: LogEntry) => {
    const ev = spec.services.find((s) => s.iid === e.siid)?.events?.find((x) => x.iid === e.eiid);
    return ev ? localized(ev.description, locale) || typeName(ev.type) : `${e.siid}.${e.eiid}`;
  };
  return (
    <fieldset class="card">
      <legend>{t("events")}</legend>
      {events.length === 0 && <p class="muted">{t("noEvents")}</p>}
      <ul class="log events">
        {events.map((e) => (
          <li>
            <time>{new Date(e.ts).toLocaleString()}</time>{" "}
            {e.kind === "event" ? eventName(e) : describeChange(e, who)}
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
