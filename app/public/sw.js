// The app shell's service worker: it keeps the pages, scripts and wasm so the app opens without
// a network, and always tries the network first so a new release replaces them. It never
// caches config.json or the chain spec (the light client needs the live region for answers).
const CACHE = "epichain-app-v1";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.endsWith("/config.json") || url.pathname.endsWith(".json") && url.pathname.includes("chain-spec")) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(event.request).then((r) => r ?? Response.error())),
  );
});
