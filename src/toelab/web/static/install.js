// Installing the page as an app: the service worker keeps an offline page that says toelab
// needs its local server (the trainer itself never works without it).
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => { /* the page works without it */ });
}
