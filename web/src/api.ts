// The app's side of Hearth's HTTP API (docs/api.md): the session's tokens, JSON requests with
// the one error shape, and the live-update WebSocket.
import { retryDelay } from "./backoff";

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

interface Tokens {
  access_token: string;
  refresh_token: string;
}

const kTokens = "hearth.tokens";

function loadTokens(): Tokens | null {
  try {
    return JSON.parse(localStorage.getItem(kTokens) ?? "null");
  } catch {
    return null;
  }
}

let tokens: Tokens | null = loadTokens();
// Another tab that signs in, refreshes or signs out changes the tokens for this one too.
addEventListener("storage", (e) => {
  if (e.key === kTokens) tokens = loadTokens();
});

export function signedIn(): boolean {
  return tokens !== null;
}

export function accessToken(): string {
  return tokens?.access_token ?? "";
}

function keep(t: Tokens | null) {
  tokens = t;
  if (t) localStorage.setItem(kTokens, JSON.stringify({ access_token: t.access_token, refresh_token: t.refresh_token }));
  else {
    localStorage.removeItem(kTokens);
    rotations("readwrite", (s) => { s.delete("rotation"); }).catch(() => {});
  }
}

// Whether the server answers: the page says so when it does not (body.unreachable).
function reachable(yes: boolean) {
  document.body.classList.toggle("unreachable", !yes);
}

// A Blob body (recorded audio) goes as it is, with its own type; anything else as JSON.
async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const raw = body instanceof Blob;
  const headers: Record<string, string> = { "Content-Type": raw ? body.type : "application/json" };
  if (tokens) headers.Authorization = `Bearer ${tokens.access_token}`;
  try {
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
    reachable(true);
    return r;
  } catch (e) {
    reachable(false);
    throw e;
  }
}

// Refresh tokens rotate: a second refresh with the same refresh token fails and would end the
// session. So one refresh runs at a time, in this tab (the requests answered 401 meanwhile wait
// for it) and across tabs (a Web Lock). A tab that waited for another's refresh finds what it
// rotated in IndexedDB, which every tab reads alike: localStorage reaches other tabs' copies a
// little later, so right after the lock they may still hold the tokens that no longer work.
let refreshing: Promise<boolean> | null = null;

interface Rotation {
  from: string;  // the access token a refresh replaced
  to: Tokens;
}

function rotations<T>(mode: IDBTransactionMode, act: (s: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("hearth", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("session");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("session", mode);
      const request = act(tx.objectStore("session"));
      tx.oncomplete = () => {
        open.result.close();
        resolve(request ? request.result : undefined);
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

function refresh(sentWith: string): Promise<boolean> {
  refreshing ??= (navigator.locks ? navigator.locks.request("hearth.refresh", () => refreshAfter(sentWith))
                                  : refreshAfter(sentWith)).finally(() => { refreshing = null; });
  return refreshing;
}

// Whether there are tokens newer than `sentWith`, the access token the server refused. A
// network failure rejects and leaves the session as it is.
async function refreshAfter(sentWith: string): Promise<boolean> {
  tokens = loadTokens();
  if (!tokens) return false;
  if (tokens.access_token !== sentWith) return true;  // refreshed meanwhile, here or in another tab
  const rotated = await rotations<Rotation>("readonly", (s) => s.get("rotation")).catch(() => undefined);
  if (rotated?.from === sentWith) {
    keep(rotated.to);
    return true;
  }
  const r = await fetch("/api/v1/auth/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refresh_token: tokens.refresh_token }),
  });
  if (r.status === 400 || r.status === 401) keep(null);  // the session has ended
  if (!r.ok) return false;
  const next: Tokens = await r.json();
  keep(next);
  await rotations("readwrite", (s) => { s.put({ from: sentWith, to: next } satisfies Rotation, "rotation"); })
    .catch(() => {});
  return true;
}

// A request with the session's token; an expired access token is refreshed once.
async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const sentWith = accessToken();
  const r = await send(method, path, body);
  return r.status === 401 && sentWith && (await refresh(sentWith)) ? send(method, path, body) : r;
}

async function failure(r: Response): Promise<ApiError> {
  const text = await r.text();
  let json: { error?: { code?: string; message?: string } } | undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return new ApiError(r.status, json?.error?.code ?? "error", json?.error?.message ?? r.statusText);
}

// A request whose answer is not JSON (the assistant's voice): the body as a Blob.
export async function apiBlob(method: string, path: string, body?: unknown): Promise<Blob> {
  const r = await call(method, path, body);
  if (!r.ok) throw await failure(r);
  return r.blob();
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await call(method, path, body);
  if (r.status === 204) return undefined as T;
  if (!r.ok) throw await failure(r);
  const text = await r.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function signIn(email: string, password: string): Promise<void> {
  keep(null);
  keep(await api<Tokens>("POST", "/api/v1/auth/login", { email, password }));
}

export async function signUp(email: string, password: string): Promise<void> {
  await api("POST", "/api/v1/auth/signup", { email, password });
  await signIn(email, password);
}

export async function signOut(): Promise<void> {
  try {
    await api("POST", "/api/v1/auth/logout");
  } finally {
    keep(null);
  }
}

export type Push =
  | { type: "property"; did: string; siid: number; piid: number; value: unknown; ts: number }
  | { type: "event"; did: string; siid: number; eiid: number; arguments: unknown[]; ts: number }
  | { type: "presence"; did: string; online: boolean; ts: number };

export type LiveState = { kind: "connecting" } | { kind: "live" } | { kind: "retrying"; at: number };

// Follows the homes' changes over /api/v1/ws; after a loss it tries again with backoff
// (retryDelay) for as long as it is open, refreshing the token first when the server refused it.
// Returns a closer.
export function live(homes: number[], onPush: (p: Push) => void, onState: (s: LiveState) => void): () => void {
  let socket: WebSocket | null = null;
  let closed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const open = () => {
    const sentWith = accessToken();
    let refused = false;
    onState({ kind: "connecting" });
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/api/v1/ws`);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token: sentWith }));
    ws.onmessage = (m) => {
      let msg;
      try {
        msg = JSON.parse(m.data);
      } catch {
        return;
      }
      if (msg.type === "ready") ws.send(JSON.stringify({ type: "subscribe", homes }));
      else if (msg.type === "subscribed") {
        attempt = 0;
        onState({ kind: "live" });
      } else if (msg.type === "error" && msg.code === "unauthenticated") refused = true;
      else if (msg.type === "property" || msg.type === "event" || msg.type === "presence") onPush(msg);
    };
    ws.onclose = () => {
      if (closed) return;
      const delay = retryDelay(attempt++);
      onState({ kind: "retrying", at: Date.now() + delay });
      timer = setTimeout(async () => {
        // A refresh that cannot reach the server does not end the retries: the next attempt
        // fails too and waits longer.
        if (refused) await refresh(sentWith).catch(() => false);
        if (!closed) open();
      }, delay);
    };
  };
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    socket?.close();
  };
}
