// What the screens share: the camera, the beat, the live link to the server, the chosen
// toe points and the page's options (?step_s=3&ready_s=1 shortens steps for a demonstration).
import { Camera, LiveLink } from "./camera.js";
import { $, say } from "./dom.js";
import { hideCameraHelp, showCameraHelp } from "./messages.js";
import { Beat } from "./metronome.js";
import { show } from "./screens.js";

const params = new URLSearchParams(location.search);
export const STEP_S = params.has("step_s") ? Number(params.get("step_s")) : null;
export const READY_S = params.has("ready_s") ? Number(params.get("ready_s")) : 3;

export const camera = new Camera($("#video"));
export const beat = new Beat();
const liveListeners = [];
export const link = new LiveLink(camera, (message) => { for (const listener of liveListeners) listener(message); });
export function onLiveMessage(callback) { liveListeners.push(callback); }

// repLog: every finished lift of this page's runs (page-clock times), newest last
export const state = { protocols: null, points: null, view: "front", liveTarget: null, cancel: false, repLog: [] };
window.toelab = { link, beat, state }; // figures for the benchmark and the tests

const pointListeners = [];
export function onPoints(callback) { pointListeners.push(callback); }
export function setPoints(points) {
  state.points = points;
  state.view = points[0].view;
  for (const callback of pointListeners) callback(points);
}
export function liveFeet() { return state.points.map((p) => p.foot); }

// Starts the camera; when it cannot, the page says why and how to fix it, and the promise
// rejects with an error whose `shown` is true.
export async function startCamera() {
  if (!window.isSecureContext) {
    $("#https-note").hidden = false;
    throw Object.assign(new Error("the camera needs a secure page (see the note)"), { shown: false });
  }
  try {
    await camera.start();
  } catch (error) {
    camera.stream = null;
    say("The camera did not start.");
    showCameraHelp(error, async () => {
      try { await startCamera(); show("calibrate"); } catch { /* the help is shown again */ }
    });
    throw Object.assign(new Error("the camera did not start"), { shown: true });
  }
  hideCameraHelp();
  say(`Camera on (${camera.width}×${camera.height}).`);
}

export function needPoints() {
  if (!state.points) { say("Set up the camera first: take a picture and check the toe points."); show("calibrate"); return false; }
  return true;
}
