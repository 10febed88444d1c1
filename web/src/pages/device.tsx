// A device's page: controls generated from its product's spec, one section per service. A
// change shows at once and rolls back with the reason when the device refuses or is offline.
import { useEffect, useState } from "preact/hooks";

import { api, live } from "../api";
import { useUi } from "../ui";
import { EventLog, HistoryChart, numericProperties } from "../history";
import { type ActionControl, type Control, sections, show, type Spec } from "../spec";
import { type Device, key, product, type Room, runAction, setPlace, setProperty, type Values, valuesOf } from "../state";

export function DevicePage({ did }: { did: string }) {
  const { t, locale, go } = useUi();
  const [device, setDevice] = useState<Device | null>(null);
  const [spec, setSpec] = useState<Spec | null>(null);
  const [values, setValues] = useState<Values>({});
  const [message, setMessage] = useState("");

  // As on the home page: a load for another device than the one now on screen is dropped.
  useEffect(() => {
    let stale = false;
    let stop = () => {};
    (async () => {
      const d = await api<Device>("GET", `/api/v1/devices/${did}`);
      const [s, v] = await Promise.all([product(d.model), valuesOf(did)]);
      if (stale) return;
      setDevice(d);
      setPlace(d.home_id || null, d.room_id || null);
      setSpec(s);
      setValues(v);
      stop = live([d.home_id], (p) => {
        if (p.did !== did) return;
        if (p.type === "property") setValues((old) => ({ ...old, [key(p.siid, p.piid)]: p.value }));
        if (p.type === "presence") setDevice((old) => (old ? { ...old, online: p.online } : old));
      }, () => {});
    })().catch((e) => {
      if (!stale) setMessage(String(e));
    });
    return () => {
      stale = true;
      stop();
    };
  }, [did]);

  if (!device || !spec) return <p aria-busy="true">{message || "…"}</p>;
  const say = { offline: t("deviceOffline"), refused: t("deviceError") };

  const change = async (c: Control, value: unknown) => {
    const k = key(c.siid, c.piid);
    const before = values[k];
    setValues((v) => ({ ...v, [k]: value }));
    setMessage("");
    const failure = await setProperty(did, c.siid, c.piid, value, say);
    if (failure) {
      setValues((v) => ({ ...v, [k]: before }));
      setMessage(`${c.name}: ${failure}`);
    }
  };
  const act = async (a: ActionControl, input: unknown[]) => {
    setMessage("");
    const failure = await runAction(did, a.siid, a.aiid, input, say);
    if (failure) setMessage(`${a.name}: ${failure}`);
  };

  return (
    <section>
      <button class="link" onClick={() => go(device.home_id ? `/homes/${device.home_id}` : "/")}>← {t("back")}</button>
      <h1>{device.name || device.model}</h1>
      <p class={device.online ? "state" : "state offline"}>{device.online ? t("online") : t("offline")}</p>
      {message && <p class="error" role="alert">{message}</p>}
      {sections(spec, locale).map((s) => (
        <fieldset class="card">
          <legend>{s.name}</legend>
          {s.controls.map((c) => <ControlView control={c} value={values[key(c.siid, c.piid)]}
                                              disabled={!device.online} onChange={(v) => change(c, v)} />)}
          {s.actions.map((a) => <ActionView action={a} disabled={!device.online} onRun={(input) => act(a, input)} />)}
        </fieldset>
      ))}
      <HistoryChart did={did} properties={numericProperties(spec, locale)} />
      <EventLog did={did} home={device.home_id} spec={spec} />
      <Manage device={device} onChanged={setDevice} />
      <Sharing did={did} />
    </section>
  );
}

// Rename, move to another room, remove (owners and admins; the API says no to others).
function Manage({ device, onChanged }: { device: Device; onChanged: (d: Device) => void }) {
  const { t, go } = useUi();
  const [rooms, setRooms] = useState<Room[]>([]);
  const [name, setName] = useState(device.name);
  const [message, setMessage] = useState("");
  useEffect(() => {
    if (device.home_id) api<{ rooms: Room[] }>("GET", `/api/v1/homes/${device.home_id}`).then((h) => setRooms(h.rooms));
  }, [device.home_id]);
  const patch = async (body: { name?: string; room_id?: number }) => {
    try {
      await api("PATCH", `/api/v1/devices/${device.did}`, body);
      onChanged({ ...device, ...body });
      setMessage(t("save") + " ✓");
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  const remove = async () => {
    if (!confirm(t("confirmRemove"))) return;
    try {
      await api("DELETE", `/api/v1/devices/${device.did}`);
      go(`/homes/${device.home_id}`);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <fieldset class="card">
      <legend>{t("manage")}</legend>
      <form class="control" onSubmit={(e) => { e.preventDefault(); patch({ name }); }}>
        <label>{t("name")}<input type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <button type="submit">{t("save")}</button>
      </form>
      <div class="control">
        <label for="room">{t("room")}</label>
        <select id="room" value={device.room_id} onChange={(e) => patch({ room_id: Number(e.currentTarget.value) })}>
          <option value={0}>{t("noRoom")}</option>
          {rooms.map((r) => <option value={r.id}>{r.name}</option>)}
        </select>
      </div>
      {message && <p role="status">{message}</p>}
      <button class="danger" onClick={remove}>{t("remove")}</button>
    </fieldset>
  );
}

function ControlView({ control: c, value, disabled, onChange }: {
  control: Control; value: unknown; disabled: boolean; onChange: (v: unknown) => void;
}) {
  const id = `p-${c.siid}-${c.piid}`;
  let input;
  switch (c.kind) {
    case "switch":
      input = <button id={id} role="switch" aria-checked={value === true} class={value === true ? "switch on" : "switch"}
                      disabled={disabled} onClick={() => onChange(value !== true)} />;
      break;
    case "slider": {
      const [min, max, step] = c.range!;
      const n = typeof value === "number" ? value : min;
      input = (
        <span class="slider">
          <input id={id} type="range" min={min} max={max} step={step} value={n} disabled={disabled}
                 onChange={(e) => onChange(Number(e.currentTarget.value))} />
          <output for={id}>{show(n, c)}</output>
        </span>
      );
      break;
    }
    case "select":
      input = (
        <select id={id} value={String(value)} disabled={disabled} onChange={(e) => onChange(Number(e.currentTarget.value))}>
          {c.options!.map((o) => <option value={String(o.value)}>{o.label}</option>)}
        </select>
      );
      break;
    case "color": {
      const hex = `#${(typeof value === "number" ? value : 0).toString(16).padStart(6, "0")}`;
      input = <input id={id} type="color" value={hex} disabled={disabled}
                     onChange={(e) => onChange(parseInt(e.currentTarget.value.slice(1), 16))} />;
      break;
    }
    case "text":
      input = <input id={id} type="text" value={typeof value === "string" ? value : ""} disabled={disabled}
                     onChange={(e) => onChange(e.currentTarget.value)} />;
      break;
    default:
      input = <output id={id}>{show(value, c)}</output>;
  }
  return (
    <div class="control">
      <label for={id}>{c.name}</label>
      {input}
    </div>
  );
}

function ActionView({ action, disabled, onRun }: {
  action: ActionControl; disabled: boolean; onRun: (input: unknown[]) => void;
}) {
  const { t } = useUi();
  const [inputs, setInputs] = useState<string[]>(action.inputs.map(() => ""));
  const parse = (text: string) => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  return (
    <form class="control" onSubmit={(e) => { e.preventDefault(); onRun(inputs.map(parse)); }}>
      {action.inputs.map((arg, i) => (
        <label>
          {arg.name}
          <input value={inputs[i]} onInput={(e) => setInputs(inputs.map((v, j) => (j === i ? e.currentTarget.value : v)))} />
        </label>
      ))}
      <button type="submit" disabled={disabled}>{action.name}</button>
    </form>
  );
}

interface Share {
  user_id: number;
  email?: string;
  until_ms: number | null;
}

// Who else may see and control this device (owners and admins share; the API refuses others).
function Sharing({ did }: { did: string }) {
  const { t } = useUi();
  const [shares, setShares] = useState<Share[] | null>(null);
  const [email, setEmail] = useState("");
  const [until, setUntil] = useState("");
  const [message, setMessage] = useState("");
  const load = () => api<{ shares: Share[] }>("GET", `/api/v1/devices/${did}/shares?limit=100`)
    .then((r) => setShares(r.shares), () => setShares(null));
  useEffect(() => { load(); }, [did]);
  if (shares === null) return null;  // not the caller's to share
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api("POST", `/api/v1/devices/${did}/shares`, { email, until_ms: until ? new Date(until).getTime() : undefined });
      setEmail("");
      setMessage("");
      load();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <fieldset class="card">
      <legend>{t("share")}</legend>
      <ul class="log">
        {shares.map((s) => (
          <li class="control">
            <span>{s.email ?? `#${s.user_id}`}{s.until_ms ? ` · ${t("until")} ${new Date(s.until_ms).toLocaleDateString()}` : ""}</span>
            <button class="link" onClick={async () => { await api("DELETE", `/api/v1/devices/${did}/shares/${s.user_id}`); load(); }}>
              {t("unshare")}
            </button>
          </li>
        ))}
      </ul>
      <form class="control" onSubmit={submit}>
        <label>{t("email")}<input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} /></label>
        <label>{t("until")}<input type="date" value={until} onInput={(e) => setUntil(e.currentTarget.value)} /></label>
        <button type="submit">{t("share")}</button>
      </form>
      {message && <p class="error" role="alert">{message}</p>}
    </fieldset>
  );
}
