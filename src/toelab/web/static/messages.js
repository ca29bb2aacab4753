// What to tell a person when something outside the page gets in the way: the camera refused
// or busy, or the live link troubled, in words with a way forward.
import { $, el } from "./dom.js";

// how to allow the camera again, per browser (each browser keeps a refusal until it is undone)
const ALLOW_CAMERA = [
  ["Android (Chrome)", "tap the icon left of the address (a lock or sliders), then Permissions → Camera → Allow. "
    + "If Chrome itself may not use the camera: phone Settings → Apps → Chrome → Permissions → Camera → Allow."],
  ["iPhone or iPad (Safari)", "tap “aA” in the address bar, then Website Settings → Camera → Allow. "
    + "Or: Settings → Apps → Safari → Camera → Allow."],
  ["Computer (Chrome, Edge, Firefox)", "click the camera or lock icon in the address bar and allow the camera for this site."],
  ["Computer (Safari on a Mac)", "Safari menu → Settings for This Website → Camera → Allow. "
    + "If the Mac blocks it: System Settings → Privacy & Security → Camera, then turn the browser on."],
];

function cameraTrouble(error) {
  switch (error?.name) {
    case "NotAllowedError":
    case "SecurityError":
      return { text: "The browser does not let toelab use the camera: the permission was refused. Allow it again, then reload this page:",
        steps: ALLOW_CAMERA };
    case "NotFoundError":
    case "OverconstrainedError":
      return { text: "No camera was found. Connect a webcam, or open this page on a phone with a camera.", steps: [] };
    case "NotReadableError":
    case "AbortError":
      return { text: "The camera is busy: another app or browser tab is using it. Close that, then try again.", steps: [] };
    default:
      return { text: "The camera could not start. Reload the page and try again; if it keeps failing, restart the browser.", steps: [] };
  }
}

export function hideCameraHelp() { $("#camera-help").hidden = true; }

// Shows what went wrong with the camera and how to fix it, with a button to try again.
export function showCameraHelp(error, retry) {
  const { text, steps } = cameraTrouble(error);
  const again = el("button", { type: "button", id: "camera-retry", textContent: "Try the camera again" });
  again.addEventListener("click", retry);
  const reload = el("button", { type: "button", textContent: "Reload the page" });
  reload.addEventListener("click", () => location.reload());
  const box = $("#camera-help");
  box.replaceChildren(el("p", {}, el("strong", { textContent: text })),
    steps.length ? el("ul", {}, ...steps.map(([where, how]) => el("li", {}, el("strong", { textContent: `${where}: ` }), how))) : null,
    el("div", { class: "row" }, again, reload));
  box.hidden = false;
  box.focus();
}

// Frame-by-frame refusals from the server (a frame out of order, too large, too many) are the
// page's own business: a few are dropped quietly, a long run of them gets plain words.
const FRAME_TROUBLE_RUN = 15;
let frameTroubles = 0;
export function liveTrouble(message) {
  if (message.type !== "error") { if (message.type === "state") frameTroubles = 0; return null; }
  if (message.seq !== undefined && message.seq !== null) {
    frameTroubles += 1;
    return frameTroubles === FRAME_TROUBLE_RUN
      ? "toelab is not getting usable pictures from the camera. Close other apps that use the camera, then stop and start again."
      : null;
  }
  return message.message + (message.hint ? ` (${message.hint})` : "");
}
