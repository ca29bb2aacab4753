// Setting up the camera: a still picture, the toe points toelab proposes, fixed by hand
// (drag, or pick a point and move it with the arrow keys); the side view's three points clicked.
import { $, el, say } from "./dom.js";
import { onScreen, show } from "./screens.js";
import { camera, setPoints, startCamera, state } from "./session.js";
import { words } from "./vocabulary.js";

const calib = { canvas: $("#calib-canvas"), still: null, feet: [], selected: null, dragging: false };
const pointsOf = (view) => words.points[view];

onScreen("calibrate", () => {
  const stage = $("#screen-calibrate .stage");
  if (!stage.contains(camera.video)) stage.prepend(camera.video);
});
$("#camera-start").addEventListener("click", async () => {
  try { await startCamera(); show("calibrate"); } catch (e) { say(`Camera: ${e.message}`); }
});

function pointList() {
  const out = [];
  for (const [f, foot] of calib.feet.entries()) {
    for (const name of pointsOf(foot.view)) if (foot[name]) out.push([f, name]);
  }
  return out;
}
function pointLabel(foot, name) { return `${foot.foot} foot: ${words.point_names[name]}`; }
function refreshPointSelect() {
  const select = $("#point-select");
  select.replaceChildren(...pointList().map(([f, n]) => el("option", { value: `${f}:${n}`, textContent: pointLabel(calib.feet[f], n) })));
  if (calib.selected) select.value = `${calib.selected[0]}:${calib.selected[1]}`;
  const complete = calib.feet.length > 0 && calib.feet.every((foot) => pointsOf(foot.view).every((n) => foot[n]));
  $("#use-points").disabled = !complete;
}
function drawCalibration() {
  const ctx = calib.canvas.getContext("2d");
  if (calib.still) ctx.drawImage(calib.still, 0, 0);
  ctx.lineWidth = 3;
  for (const [f, foot] of calib.feet.entries()) {
    const names = pointsOf(foot.view);
    if (foot.view === "side") {
      ctx.strokeStyle = "#ffd23f";
      ctx.beginPath();
      names.filter((n) => foot[n]).forEach((n, i) => (i ? ctx.lineTo(...foot[n]) : ctx.moveTo(...foot[n])));
      ctx.stroke();
    }
    names.forEach((name, i) => {
      if (!foot[name]) return;
      const [x, y] = foot[name];
      const chosen = calib.selected && calib.selected[0] === f && calib.selected[1] === name;
      ctx.fillStyle = chosen ? "#ffd23f" : "#1fa37a";
      ctx.strokeStyle = "#000";
      ctx.beginPath(); ctx.arc(x, y, chosen ? 9 : 7, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      ctx.fillStyle = "#fff"; ctx.font = "bold 16px system-ui";
      ctx.fillText(foot.view === "front" ? String(i + 1) : ["H", "M", "T"][i], x - 5, y - 12);
    });
  }
}
function canvasXY(event) {
  const r = calib.canvas.getBoundingClientRect();
  return [(event.clientX - r.left) * (calib.canvas.width / r.width), (event.clientY - r.top) * (calib.canvas.height / r.height)];
}
function nearestPoint(x, y) {
  let best = null, dist = 25 * (calib.canvas.width / calib.canvas.getBoundingClientRect().width);
  for (const [f, n] of pointList()) {
    const d = Math.hypot(calib.feet[f][n][0] - x, calib.feet[f][n][1] - y);
    if (d < dist) { best = [f, n]; dist = d; }
  }
  return best;
}
calib.canvas.addEventListener("pointerdown", (event) => {
  if (!calib.still) return;
  const [x, y] = canvasXY(event);
  const hit = nearestPoint(x, y);
  if (hit) {
    calib.selected = hit; calib.dragging = true; calib.canvas.setPointerCapture(event.pointerId);
  } else if (state.view === "side") {
    const foot = calib.feet[0];
    const missing = pointsOf("side").find((n) => !foot[n]);
    if (missing) { foot[missing] = [x, y]; calib.selected = [0, missing]; }
  }
  refreshPointSelect(); drawCalibration();
});
calib.canvas.addEventListener("pointermove", (event) => {
  if (!calib.dragging || !calib.selected) return;
  const [f, n] = calib.selected;
  calib.feet[f][n] = canvasXY(event);
  drawCalibration();
});
calib.canvas.addEventListener("pointerup", () => { calib.dragging = false; refreshPointSelect(); });
calib.canvas.addEventListener("keydown", (event) => {
  const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  if (!calib.selected || !moves[event.key]) return;
  event.preventDefault();
  const step = event.shiftKey ? 10 : 2;
  const p = calib.feet[calib.selected[0]][calib.selected[1]];
  p[0] += moves[event.key][0] * step; p[1] += moves[event.key][1] * step;
  drawCalibration();
});
$("#point-select").addEventListener("change", (e) => {
  const [f, n] = e.target.value.split(":");
  calib.selected = [Number(f), n]; drawCalibration();
});
$("#view").addEventListener("change", (e) => {
  state.view = e.target.value;
  $("#side-foot-label").hidden = state.view !== "side";
  calib.feet = []; calib.selected = null; refreshPointSelect(); drawCalibration();
});

$("#snap").addEventListener("click", async () => {
  try {
    await startCamera();
    calib.still = camera.still(document.createElement("canvas"));
    calib.canvas.width = calib.still.width; calib.canvas.height = calib.still.height;
    calib.feet = []; calib.selected = null;
    camera.video.classList.add("frozen");
    drawCalibration();
    if (state.view === "side") {
      calib.feet = [{ view: "side", foot: $("#side-foot").value }];
      $("#calib-msg").textContent = "Click the heel, then the ball of the foot, then the tip of the big toe.";
      refreshPointSelect(); return;
    }
    $("#calib-msg").textContent = "Looking for the toes…";
    const blob = await new Promise((r) => calib.still.toBlob(r, "image/jpeg", 0.9));
    const form = new FormData();
    form.append("frame", blob, "still.jpg"); form.append("view", "front");
    const answer = await (await fetch("/api/propose", { method: "POST", body: form })).json();
    calib.feet = answer.points.map((p) => ({ ...p }));
    $("#calib-msg").textContent = answer.ok
      ? `Found ${calib.feet.length === 1 ? "one foot" : "both feet"}. Check that each number sits on its toenail (1 = big toe); drag any point that is off.`
      : `Not sure about the toes (${answer.message.split(" — ")[0]}). Take the picture again with the toes flat and in good light.`;
    calib.canvas.dataset.proposal = answer.ok ? "ok" : "unsure";
    refreshPointSelect(); drawCalibration();
  } catch (e) { $("#calib-msg").textContent = `Could not take the picture: ${e.message}`; }
});
$("#use-points").addEventListener("click", () => {
  const points = calib.feet.map((f) => {
    const out = { view: f.view, foot: f.foot };
    for (const n of pointsOf(f.view)) out[n] = f[n].map(Number);
    return out;
  });
  camera.video.classList.remove("frozen");
  setPoints(points);
  say(`Points saved for the ${points.map((p) => p.foot).join(" and ")} foot (${state.view} view).`);
  show(state.view === "side" ? "assess" : "train");
});
