// The app's side of Hearth's HTTP API (docs/api.md): the session's tokens, JSON requests with
// the one error shape, and the live-update WebSocket.

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

export function signedIn(): boolean {
  return tokens !== null;
}

export function accessToken(): string {
  return tokens?.access_token ?? "";
}

function keep(t: Tokens | null) {
  tokens = t;
  if (t) localStorage.setItem(kTokens, JSON.stringify({ access_token: t.access_token, refresh_token: t.refresh_token }));
  else localStorage.removeItem(kTokens);
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

async function refresh(): Promise<boolean> {
  if (!tokens) return false;
  const r = await fetch("/api/v1/auth/refresh", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refresh_token: tokens.refresh_token }),
  });
  if (!r.ok) {
    keep(null);
    return false;
  }
  keep(await r.json());
  return true;
}

// A request with the session's token; an expired access token is refreshed once.
async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const r = await send(method, path, body);
  return r.status === 401 && (await refresh()) ? send(method, path, body) : r;
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

// Follows the homes' changes over /api/v1/ws, reconnecting after a loss; returns a closer.
export function live(homes: number[], onPush: (p: Push) => void, onState: (up: boolean) => void): () => void {
  let socket: WebSocket | null = null;
  let closed = false;
  let delay = 500;
  const open = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/api/v1/ws`);
    socket.onopen = () => socket?.send(JSON.stringify({ type: "auth", token: accessToken() }));
    socket.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === "ready") socket?.send(JSON.stringify({ type: "subscribe", homes }));
      else if (msg.type === "subscribed") {
        delay = 500;
        onState(true);
      } else if (msg.type === "property" || msg.type === "event" || msg.type === "presence") onPush(msg);
    };
    socket.onclose = async () => {
      onState(false);
      if (closed) return;
      await refresh();  // the usual reason: an access token that expired
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  };
  open();
  return () => {
    closed = true;
    socket?.close();
  };
}
