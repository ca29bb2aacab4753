// toelab's service worker: the page is installable, and without the local toelab server a
// page opened from the home screen says so instead of a browser error. Nothing else is
// kept offline: every figure comes from the server on this computer.
const CACHE = "toelab-shell-1";
const SHELL = ["/static/offline.html", "/static/style.css", "/static/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("fetch", (event) => {
  if (event.request.mode !== "navigate") return;
  event.respondWith(fetch(event.request).catch(() => caches.match("/static/offline.html")));
});
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((windows) =>
    (windows.length ? windows[0].focus() : self.clients.openWindow("/"))));
});
