// A home's settings: its rooms (add, rename, delete), its members and their roles, invitations.
import { useEffect, useState } from "preact/hooks";

import { api } from "../api";
import { useUi } from "../ui";
import type { Room } from "../state";

interface Member {
  user_id: number;
  email: string;
  role: string;
  until_ms: number | null;
}

export function SettingsPage({ homeId }: { homeId: number }) {
  const { t, go } = useUi();
  const [rooms, setRooms] = useState<Room[]>([]);
  const [members, setMembers] = useState<Member[]>([]);
  const [newRoom, setNewRoom] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("member");
  const [message, setMessage] = useState("");

  const load = async () => {
    const home = await api<{ rooms: Room[] }>("GET", `/api/v1/homes/${homeId}`);
    setRooms(home.rooms);
    setMembers((await api<{ members: Member[] }>("GET", `/api/v1/homes/${homeId}/members?limit=100`)).members);
  };
  useEffect(() => { load().catch((e) => setMessage(String(e))); }, [homeId]);

  const run = async (action: () => Promise<unknown>, done?: string) => {
    setMessage("");
    try {
      await action();
      await load();
      if (done) setMessage(done);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section>
      <button class="link" onClick={() => go(`/homes/${homeId}`)}>← {t("back")}</button>
      {message && <p role="status">{message}</p>}
      <fieldset class="card">
        <legend>{t("rooms")}</legend>
        {rooms.map((r) => <RoomRow room={r} onRename={(name) => run(() => api("PATCH", `/api/v1/homes/${homeId}/rooms/${r.id}`, { name }))}
                                   onDelete={() => run(() => api("DELETE", `/api/v1/homes/${homeId}/rooms/${r.id}`))} />)}
        <form class="control" onSubmit={(e) => {
          e.preventDefault();
          run(() => api("POST", `/api/v1/homes/${homeId}/rooms`, { name: newRoom })).then(() => setNewRoom(""));
        }}>
          <label>{t("newRoom")}<input type="text" required value={newRoom} onInput={(e) => setNewRoom(e.currentTarget.value)} /></label>
          <button type="submit">{t("add")}</button>
        </form>
      </fieldset>
      <fieldset class="card">
        <legend>{t("members")}</legend>
        <ul class="log">
          {members.map((m) => (
            <li class="control">
              <span>{m.email} · {t(m.role as "owner")}</span>
              {m.role !== "owner" && (
                <button class="link" onClick={() => run(() => api("DELETE", `/api/v1/homes/${homeId}/members/${m.user_id}`))}>
                  {t("removeMember")}
                </button>
              )}
            </li>
          ))}
        </ul>
        <form class="control" onSubmit={(e) => {
          e.preventDefault();
          run(() => api("POST", `/api/v1/homes/${homeId}/invitations`, { email, role }), t("invited")).then(() => setEmail(""));
        }}>
          <label>{t("email")}<input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} /></label>
          <label>{t("role")}
            <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              {["admin", "member", "guest"].map((r) => <option value={r}>{t(r as "admin")}</option>)}
            </select>
          </label>
          <button type="submit">{t("invite")}</button>
        </form>
      </fieldset>
    </section>
  );
}

function RoomRow({ room, onRename, onDelete }: { room: Room; onRename: (name: string) => void; onDelete: () => void }) {
  const { t } = useUi();
  const [name, setName] = useState(room.name);
  return (
    <form class="control" onSubmit={(e) => { e.preventDefault(); onRename(name); }}>
      <input type="text" aria-label={t("name")} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <span>
        <button type="submit">{t("save")}</button>{" "}
        <button type="button" class="link" onClick={onDelete}>{t("delete")}</button>
      </span>
    </form>
  );
}
