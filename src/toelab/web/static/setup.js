// The set-up check before a test: a short burst of the camera's frames and the set-up
// picture go to the server, which says whether the whole forefoot is in view, big enough,
// lit well enough and steady, and what to change. A test starts only when it passes.
import { $, el, sleep } from "./dom.js";
import { showPreview } from "./preview.js";
import { cue } from "./speech.js";
import { camera, state } from "./session.js";

const BURST_FRAMES = 8;
const BURST_GAP_MS = 120;
const CHECK_NAMES = {
  forefoot_match: "Foot in the picture",
  in_view_pct: "Whole forefoot in view",
  in_place_pct: "Foot where it was set up",
  toes_tracked: "All five toes followed",
  toe_width_px: "Toes big enough",
  brightness: "Light enough",
  unclipped_pct: "Not washed out",
  steady_frames_pct: "Camera and foot steady",
};

const jpeg = (canvas) => new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));

function panel() {
  let box = $("#setup-check");
  if (!box) {
    box = el("div", { id: "setup-check", class: "setup-check", "aria-live": "polite" });
    $("#guide").after(box);
  }
  return box;
}

async function burst() {
  const frames = [];
  const times = [];
  for (let i = 0; i < BURST_FRAMES; i++) {
    if (i) await sleep(BURST_GAP_MS);
    times.push(performance.now() / 1000);
    frames.push(await jpeg(camera.still(document.createElement("canvas"))));
  }
  return { frames, times };
}

// Resolves true when the test may start; otherwise the panel says what to change.
export async function checkSetup() {
  if (!state.still || state.view !== "front") return true; // the side view is checked by its own test
  const box = panel();
  box.hidden = false;
  const live = el("div", { id: "setup-live", class: "live" });
  const result = el("div", { id: "setup-result", role: "status" }, el("p", { textContent: "Checking the camera picture…" }));
  box.replaceChildren(el("h3", { textContent: "Set-up check" }), live, result);
  showPreview(live, () => null);
  const { frames, times } = await burst();
  const form = new FormData();
  form.append("still", await jpeg(state.still), "still.jpg");
  for (const [i, frame] of frames.entries()) form.append("frames", frame, `frame${i}.jpg`);
  form.append("points", JSON.stringify(state.points));
  form.append("times_s", JSON.stringify(times));
  let answer;
  try {
    const response = await fetch("/api/setup-check", { method: "POST", body: form });
    answer = await response.json();
    if (!response.ok) throw new Error(answer.message || `the server answered ${response.status}`);
  } catch (e) {
    result.replaceChildren(el("p", { class: "warning", textContent: `The set-up check could not run: ${e.message}` }));
    box.dataset.ok = "0";
    return false;
  }
  const list = el("ul", { class: "checks" }, ...answer.checks.filter((c) => answer.figures[c.figure] !== null).map((c) =>
    el("li", { class: c.passed ? "pass" : "fail", "data-check": c.figure },
      `${c.passed ? "✓" : "✗"} ${CHECK_NAMES[c.figure] || c.figure}`)));
  box.dataset.ok = answer.ok ? "1" : "0";
  if (answer.ok) {
    result.replaceChildren(list, el("p", { class: "ok", textContent: "The camera sees your whole forefoot well. Ready." }));
    return true;
  }
  const sentence = `${answer.problem}. ${answer.change}.`;
  result.replaceChildren(el("p", { class: "warning", id: "setup-problem", textContent: `Not ready. ${sentence}` }), list,
    el("p", { class: "hint", textContent: "Press the test's start button again once you have changed it." }));
  cue(`Not ready. ${answer.problem}.`, { now: true });
  box.scrollIntoView({ block: "nearest" });
  return false;
}

export function hideSetupCheck() {
  const box = $("#setup-check");
  if (box) { box.hidden = true; box.replaceChildren(); }
}
