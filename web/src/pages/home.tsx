// A home: the home switcher, rooms as tabs, and a card per device with its state at a glance
// (online or not, its key reading, its power switch), kept live over the WebSocket.
import { useEffect, useMemo, useState } from "preact/hooks";

import { api, live, type LiveState, type Push } from "../api";
import { DeviceIcon } from "../icons";
import { LiveBadge } from "../live_badge";
import { type EventTimes, follows, type KeyReading, keyReadingOf, readingText } from "../reading";
import { powerOf, type Spec, typeName } from "../spec";
import { type Device, devicesOf, key, lastEventOf, product, type Room, setPlace, setProperty, type Values,
         valuesOf } from "../state";
import { useUi } from "../ui";

interface HomeSummary {
  id: number;
  name: string;
}

export function HomePage({ homeId }: { homeId: number | null }) {
  const { t, go, locale } = useUi();
  const [homes, setHomes] = useState<HomeSummary[] | null>(null);
  const [rooms, setRooms] = useState<Room[]>([]);
  const [devices, setDevices] = useState<Device[]>([]);
  const [specs, setSpecs] = useState<Record<string, Spec>>({});
  const [values, setValues] = useState<Record<string, Values>>({});
  const [room, setRoom] = useState<number | "all">("all");
  const [events, setEvents] = useState<Record<string, EventTimes>>({});
  const [liveState, setLiveState] = useState<LiveState>({ kind: "connecting" });
  const [error, setError] = useState("");

  useEffect(() => {
    api<{ homes: HomeSummary[] }>("GET", "/api/v1/homes?limit=100").then((r) => setHomes(r.homes), (e) => setError(String(e)));
  }, []);
  const home = homes?.find((h) => h.id === homeId) ?? homes?.[0];

  // One home's load at a time: switching home while it loads drops what the old load brings and
  // never opens its socket.
  useEffect(() => {
    if (!home) return;
    let stale = false;
    let stop = () => {};
    setRooms([]);
    setDevices([]);
    setValues({});
    setEvents({});
    setRoom("all");
    (async () => {
      const [detail, list] = await Promise.all([
        api<{ rooms: Room[] }>("GET", `/api/v1/homes/${home.id}`), devicesOf(home.id)]);
      const models = [...new Set(list.devices.map((d) => d.model))];
      const loaded = await Promise.all(models.map((m) => product(m)));
      if (stale) return;
      const bySpec: Record<string, Spec> = Object.fromEntries(models.map((m, i) => [m, loaded[i]]));
      const happened = (did: string, siid: number, eiid: number, ts: number) => setEvents((all) => {
        const before = all[did]?.[key(siid, eiid)] ?? 0;
        return before >= ts ? all : { ...all, [did]: { ...all[did], [key(siid, eiid)]: ts } };
      });
      setRooms(detail.rooms);
      setSpecs(bySpec);
      setValues(list.values);
      setDevices(list.devices);
      stop = live([home.id], (p: Push) => {
        if (p.type === "property") {
          setValues((v) => ({ ...v, [p.did]: { ...v[p.did], [key(p.siid, p.piid)]: p.value } }));
        } else if (p.type === "presence") {
          setDevices((ds) => ds.map((d) => (d.did === p.did ? { ...d, online: p.online } : d)));
        } else if (p.type === "event") {
          happened(p.did, p.siid, p.eiid, p.ts);
        }
      }, setLiveState);
      // Doors and motion sensors say what their latest event was.
      for (const d of list.devices) {
        const reading = keyReadingOf(bySpec[d.model], "en-US");
        if (reading?.kind !== "contact" && reading?.kind !== "motion") continue;
        lastEventOf(d.did, (siid, eiid) => follows(reading, siid, eiid)).then((e) => {
          if (!stale && e) happened(d.did, e.siid, e.eiid, e.ts);
        }, () => {});
      }
    })().catch((e) => {
      if (!stale) setError(String(e));
    });
    return () => {
      stale = true;
      stop();
    };
  }, [home?.id]);

  useEffect(() => setPlace(home?.id ?? null, room === "all" ? null : room), [home?.id, room]);

  // Each product's key reading, worked out once rather than per card and render.
  const readings = useMemo(() => Object.fromEntries(Object.entries(specs).map(([m, s]) => [m, keyReadingOf(s, locale)])),
                           [specs, locale]);
  const shown = useMemo(() => devices.filter((d) => room === "all" || d.room_id === room)
    .sort((a, b) => (a.name || a.model).localeCompare(b.name || b.model)), [devices, room]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (homes === null) return <p aria-busy="true">…</p>;
  if (!home) {
    return (
      <section>
        <Invitations onAccepted={() => location.reload()} />
        <p>{t("noHomes")}</p>
        <SharedWithMe />
      </section>
    );
  }

  const toggle = async (d: Device, siid: number, piid: number, value: boolean) => {
    const before = values[d.did]?.[key(siid, piid)];
    setValues((v) => ({ ...v, [d.did]: { ...v[d.did], [key(siid, piid)]: value } }));
    const failure = await setProperty(d.did, siid, piid, value, { offline: t("deviceOffline"), refused: t("deviceError") });
    if (failure) {
      setValues((v) => ({ ...v, [d.did]: { ...v[d.did], [key(siid, piid)]: before } }));
      setError("");
      alertOnce(`${d.name}: ${failure}`);
    }
  };

  return (
    <section>
      <div class="row">
        <select aria-label={t("home")} value={home.id} onChange={(e) => go(`/homes/${e.currentTarget.value}`)}>
          {homes.map((h) => <option value={h.id}>{h.name}</option>)}
        </select>
        <LiveBadge state={liveState} />
        <span class="spacer" />
        <a class="link" href={`/homes/${home.id}/settings`}
           onClick={(e) => { e.preventDefault(); go(`/homes/${home.id}/settings`); }}>{t("settings")}</a>
      </div>
      <Invitations onAccepted={() => location.reload()} />
      <nav class="tabs" role="tablist">
        {[{ id: "all" as const, name: t("allRooms") }, ...rooms].map((r) => (
          <button role="tab" aria-selected={room === r.id} class={room === r.id ? "tab active" : "tab"}
                  onClick={() => setRoom(r.id)}>{r.name}</button>
        ))}
      </nav>
      <AddDevice home={home.id} rooms={rooms} onAdded={(d) => {
        setDevices((ds) => [...ds, d]);
        product(d.model).then((s) => setSpecs((all) => ({ ...all, [d.model]: s })));
        valuesOf(d.did).then((v) => setValues((all) => ({ ...all, [d.did]: v })));
      }} />
      {shown.length === 0 && <p>{t("noDevices")}</p>}
      <ul class="cards">
        {shown.map((d) => (
          <DeviceCard device={d} spec={specs[d.model]} reading={readings[d.model] ?? null} values={values[d.did] ?? {}}
                      events={events[d.did] ?? {}}
                      roomName={rooms.find((r) => r.id === d.room_id)?.name ?? t("noRoom")}
                      onToggle={(siid, piid, v) => toggle(d, siid, piid, v)} />
        ))}
      </ul>
      <SharedWithMe />
    </section>
  );
}

interface Invitation {
  id: number;
  home_id: number;
  home_name: string;
  role: string;
}

// Invitations to other homes, for the signed-in person's email.
function Invitations({ onAccepted }: { onAccepted: () => void }) {
  const { t } = useUi();
  const [list, setList] = useState<Invitation[]>([]);
  const load = () => api<{ invitations: Invitation[] }>("GET", "/api/v1/invitations").then((r) => setList(r.invitations), () => {});
  useEffect(() => { load(); }, []);
  if (list.length === 0) return null;
  return (
    <fieldset class="card">
      <legend>{t("invitations")}</legend>
      {list.map((i) => (
        <div class="control">
          <span>{i.home_name} · {t(i.role as "guest")}</span>
          <span>
            <button onClick={async () => { await api("POST", `/api/v1/invitations/${i.id}/accept`); onAccepted(); }}>{t("accept")}</button>{" "}
            <button class="link" onClick={async () => { await api("POST", `/api/v1/invitations/${i.id}/decline`); load(); }}>{t("decline")}</button>
          </span>
        </div>
      ))}
    </fieldset>
  );
}

// Devices other homes share with the signed-in person.
function SharedWithMe() {
  const { t, go } = useUi();
  const [devices, setDevices] = useState<Device[]>([]);
  useEffect(() => {
    api<{ devices: Device[] }>("GET", "/api/v1/shares?limit=100").then((r) => setDevices(r.devices), () => {});
  }, []);
  if (devices.length === 0) return null;
  return (
    <section>
      <h2>{t("sharedWithMe")}</h2>
      <ul class="cards">
        {devices.map((d) => (
          <li class={d.online ? "card device" : "card device offline"} data-did={d.did}>
            <a href={`/devices/${d.did}`} onClick={(e) => { e.preventDefault(); go(`/devices/${d.did}`); }}>
              <strong>{d.name || d.model}</strong>
            </a>
            <span class="state">{d.online ? t("online") : t("offline")}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

let alertShown = "";
function alertOnce(text: string) {
  if (alertShown === text) return;
  alertShown = text;
  const el = document.getElementById("toast");
  if (el) {
    el.textContent = text;
    el.hidden = false;
    setTimeout(() => { el.hidden = true; alertShown = ""; }, 4000);
  }
}

function DeviceCard({ device, spec, reading, values, events, roomName, onToggle }: {
  device: Device; spec?: Spec; reading: KeyReading | null; values: Values; events: EventTimes; roomName: string;
  onToggle: (siid: number, piid: number, value: boolean) => void;
}) {
  const { t, go, lang } = useUi();
  const power = spec ? powerOf(spec) : null;
  const on = power ? values[key(power.siid, power.piid)] === true : false;
  const say = { open: t("open"), closed: t("closed"), motion: t("motion"), lang };
  const text = reading ? readingText(reading, values, events, on, Date.now(), say) : null;
  return (
    <li class={device.online ? "card device" : "card device offline"} data-did={device.did}>
      <a href={`/devices/${device.did}`} onClick={(e) => { e.preventDefault(); go(`/devices/${device.did}`); }}>
        <DeviceIcon type={spec ? typeName(spec.type) : ""} />
        <strong>{device.name || device.model}</strong>
      </a>
      <span class="muted">{roomName}</span>
      <span class="state">{device.online ? t("online") : t("offline")}</span>
      {text !== null && <span class="reading">{text}</span>}
      {power && (
        <button role="switch" aria-checked={on} aria-label={`${t("power")}: ${device.name}`}
                class={on ? "switch on" : "switch"} disabled={!device.online}
                onClick={() => onToggle(power.siid, power.piid, !on)} />
      )}
    </li>
  );
}

// Binding a device with the code its maker printed (`hearth device add` shows it).
function AddDevice({ home, rooms, onAdded }: { home: number; rooms: Room[]; onAdded: (d: Device) => void }) {
  const { t } = useUi();
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [room, setRoom] = useState(0);
  const [message, setMessage] = useState("");
  if (!open) return <button class="link" onClick={() => setOpen(true)}>+ {t("addDevice")}</button>;
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const d = await api<Device>("POST", `/api/v1/homes/${home}/devices`,
        { bind_code: code, name: name || undefined, room_id: room || undefined });
      onAdded(d);
      setMessage(`${t("added")}: ${d.name || d.model}`);
      setCode("");
      setName("");
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form class="card" onSubmit={submit}>
      <label>{t("bindCode")}<input type="text" required value={code} autocomplete="off"
                                    onInput={(e) => setCode(e.currentTarget.value)} /></label>
      <label>{t("name")}<input type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
      <label>{t("room")}
        <select value={room} onChange={(e) => setRoom(Number(e.currentTarget.value))}>
          <option value={0}>{t("noRoom")}</option>
          {rooms.map((r) => <option value={r.id}>{r.name}</option>)}
        </select>
      </label>
      {message && <p role="status">{message}</p>}
      <button type="submit">{t("add")}</button>
    </form>
  );
}
