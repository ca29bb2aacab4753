// Setting up the camera: a still picture and its points. toelab proposes the toe points in
// the front view; in every view a person can also place each point by clicking or tapping in
// the order the page asks, drag a point to fix it, or pick it in the list and move it with
// the arrow keys (point-editor.js).
import { $, say } from "./dom.js";
import { pointEditor } from "./point-editor.js";
import { onScreen, show } from "./screens.js";
import { camera, setPoints, startCamera, state } from "./session.js";
import { words } from "./vocabulary.js";

const editor = pointEditor(
  { canvas: $("#calib-canvas"), list: $("#point-select"), next: $("#calib-next"), undo: $("#undo-point"), place: $("#place-points"), use: $("#use-points") },
  words, () => state.view, () => $("#calib-foot").value,
);

onScreen("calibrate", () => {
  const stage = $("#screen-calibrate .stage");
  if (!stage.contains(camera.video)) stage.prepend(camera.video);
});
$("#camera-start").addEventListener("click", async () => {
  try { await startCamera(); show("calibrate"); } catch (e) { if (!e.shown) say(`Camera: ${e.message}`); }
});
$("#place-points").addEventListener("click", () => {
  editor.placeByHand();
  $("#calib-msg").textContent = "Place the points yourself, in the order the line above the picture asks.";
  $("#calib-canvas").focus();
});
$("#view").addEventListener("change", (e) => {
  state.view = e.target.value;
  editor.restart();
});
// the points placed by hand belong to the foot chosen here
$("#calib-foot").addEventListener("change", (e) => editor.setFoot(e.target.value));

async function propose(still) {
  const blob = await new Promise((r) => still.toBlob(r, "image/jpeg", 0.9));
  const form = new FormData();
  form.append("frame", blob, "still.jpg"); form.append("view", "front");
  const response = await fetch("/api/propose", { method: "POST", body: form });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) return { ok: false, points: [], message: answer.message || `the server answered ${response.status}` };
  return answer;
}
// the last still picture: the set-up check looks for its forefoot in the live frames
let lastStill = null;
const sentence = (text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;

$("#snap").addEventListener("click", async () => {
  try {
    await startCamera();
  } catch (e) {
    if (!e.shown) $("#calib-msg").textContent = `Could not take the picture: ${e.message}`;
    return;
  }
  const still = camera.still(document.createElement("canvas"));
  lastStill = still;
  editor.setStill(still);
  camera.video.classList.add("frozen");
  delete $("#calib-canvas").dataset.proposal;
  if (state.view === "side") {
    editor.placeByHand();
    $("#calib-msg").textContent = "Place the heel, the ball of the foot and the tip of the big toe, as the line above the picture asks.";
    return;
  }
  $("#calib-msg").textContent = "Looking for the toes…";
  let answer;
  try { answer = await propose(still); } catch (e) { answer = { ok: false, points: [], message: "toelab could not be reached" }; }
  if (answer.points.length) {
    editor.setFeet(answer.points);
    if (answer.points.length === 1) $("#calib-foot").value = answer.points[0].foot;
  } else {
    editor.placeByHand();
  }
  // the server's words in full, then what to do
  $("#calib-msg").textContent = answer.ok
    ? `Found ${editor.feetCount() === 1 ? "one foot" : "both feet"}. Check that each number sits on its toenail (1 = big toe); drag any point that is off.`
    : `${sentence(answer.message)} ${answer.points.length
      ? "Drag each point onto its toenail (1 = big toe), or press “Place the points myself”."
      : "Click or tap each toe in the order the line above the picture asks."} Or take the picture again with the toes flat and in good light.`;
  $("#calib-canvas").dataset.proposal = answer.ok ? "ok" : "unsure";
});
$("#use-points").addEventListener("click", () => {
  const points = editor.points();
  camera.video.classList.remove("frozen");
  state.still = lastStill;
  setPoints(points);
  say(`Points saved for the ${points.map((p) => p.foot).join(" and ")} foot (${state.view} view).`);
  show(state.view === "side" ? "assess" : "train");
});
