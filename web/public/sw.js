// The offline shell: the app's files are cached as they are fetched; when the server cannot be
// reached the cached app opens and says so. API calls are never cached.
const CACHE = "hearth-shell";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.pathname.startsWith("/api/") || url.pathname.startsWith("/app/")) return;
  const page = e.request.mode === "navigate";
  e.respondWith(fetch(e.request).then((r) => {
    const copy = r.clone();
    caches.open(CACHE).then((c) => c.put(page ? "/" : e.request, copy));
    return r;
  }).catch(() => caches.match(page ? "/" : e.request)));
});
