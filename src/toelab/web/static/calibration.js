// Setting up the camera: a still picture and its points. toelab proposes the toe points in
// the front view; in every view a person can also place each point by clicking or tapping in
// the order the page asks, drag a point to fix it, or pick it in the list and move it with
// the arrow keys.
import { $, el, say } from "./dom.js";
import { onScreen, show } from "./screens.js";
import { camera, setPoints, startCamera, state } from "./session.js";
import { words } from "./vocabulary.js";

const calib = { canvas: $("#calib-canvas"), still: null, feet: [], selected: null, dragging: false, placed: [] };
const pointsOf = (view) => words.points[view];
const TOUCH_RADIUS_PX = 25; // how near (screen pixels) a press must be to take hold of a point
const KEY_STEP_PX = 2;

onScreen("calibrate", () => {
  const stage = $("#screen-calibrate .stage");
  if (!stage.contains(camera.video)) stage.prepend(camera.video);
});
$("#camera-start").addEventListener("click", async () => {
  try { await startCamera(); show("calibrate"); } catch (e) { if (!e.shown) say(`Camera: ${e.message}`); }
});

function pointList() {
  const out = [];
  for (const [f, foot] of calib.feet.entries()) {
    for (const name of pointsOf(foot.view)) if (foot[name]) out.push([f, name]);
  }
  return out;
}
const pointLabel = (foot, name) => `${foot.foot} foot: ${words.point_names[name]}`;
// the next point to place by hand: [foot index, point name], or null when every point is there
function nextPoint() {
  for (const [f, foot] of calib.feet.entries()) {
    const missing = pointsOf(foot.view).find((n) => !foot[n]);
    if (missing) return [f, missing];
  }
  return null;
}
const complete = () => calib.feet.length > 0 && nextPoint() === null;

function refresh() {
  const select = $("#point-select");
  select.replaceChildren(...pointList().map(([f, n]) => el("option", { value: `${f}:${n}`, textContent: pointLabel(calib.feet[f], n) })));
  if (calib.selected) select.value = `${calib.selected[0]}:${calib.selected[1]}`;
  $("#use-points").disabled = !complete();
  $("#undo-point").disabled = calib.placed.length === 0;
  $("#place-points").disabled = !calib.still;
  const next = nextPoint();
  if (!calib.still) $("#calib-next").textContent = "";
  else if (next) {
    const [f, name] = next;
    const names = pointsOf(calib.feet[f].view);
    $("#calib-next").textContent = `Next: click or tap the ${words.point_names[name]} (${names.indexOf(name) + 1} of ${names.length}, ${calib.feet[f].foot} foot).`;
  } else {
    $("#calib-next").textContent = "All points are set. Drag any that is off, then press “Use these points”.";
  }
  draw();
}
function draw() {
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

const scale = () => calib.canvas.width / calib.canvas.getBoundingClientRect().width;
function canvasXY(event) {
  const r = calib.canvas.getBoundingClientRect();
  return [(event.clientX - r.left) * (calib.canvas.width / r.width), (event.clientY - r.top) * (calib.canvas.height / r.height)];
}
const inside = ([x, y]) => [Math.min(Math.max(x, 0), calib.canvas.width - 1), Math.min(Math.max(y, 0), calib.canvas.height - 1)];
function nearestPoint(x, y) {
  let best = null, dist = TOUCH_RADIUS_PX * scale();
  for (const [f, n] of pointList()) {
    const d = Math.hypot(calib.feet[f][n][0] - x, calib.feet[f][n][1] - y);
    if (d < dist) { best = [f, n]; dist = d; }
  }
  return best;
}
function place(xy) {
  const [f, name] = nextPoint();
  calib.feet[f][name] = inside(xy);
  calib.placed.push([f, name]);
  calib.selected = [f, name];
}
// hand placement starts over for the foot chosen under "Foot" (the proposal's points go)
function placeByHand() {
  calib.feet = [{ view: state.view, foot: $("#calib-foot").value }];
  calib.selected = null; calib.placed = [];
  refresh();
}

calib.canvas.addEventListener("pointerdown", (event) => {
  if (!calib.still) return;
  calib.canvas.focus({ preventScroll: true }); // the arrow keys then move the point pressed
  const xy = canvasXY(event);
  // while points are missing a press places the next one (and a drag moves it on);
  // once all are set a press near a point takes hold of it
  const hit = nextPoint() ? null : nearestPoint(...xy);
  if (nextPoint()) place(xy);
  else if (hit) calib.selected = hit;
  else return;
  calib.dragging = true;
  calib.canvas.setPointerCapture(event.pointerId);
  refresh();
});
calib.canvas.addEventListener("pointermove", (event) => {
  if (!calib.dragging || !calib.selected) return;
  const [f, n] = calib.selected;
  calib.feet[f][n] = inside(canvasXY(event));
  draw();
});
const letGo = () => { if (calib.dragging) { calib.dragging = false; refresh(); } };
calib.canvas.addEventListener("pointerup", letGo);
calib.canvas.addEventListener("pointercancel", letGo);
calib.canvas.addEventListener("keydown", (event) => {
  if (!calib.still) return;
  if ((event.key === "Enter" || event.key === " ") && nextPoint()) {
    event.preventDefault();
    // beside the point placed before, or in the middle of the picture
    const last = calib.selected && calib.feet[calib.selected[0]][calib.selected[1]];
    place(last ? [last[0] + 30, last[1]] : [calib.canvas.width / 2, calib.canvas.height / 2]);
    refresh();
    return;
  }
  const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  if (!calib.selected || !moves[event.key]) return;
  event.preventDefault();
  const step = event.shiftKey ? 5 * KEY_STEP_PX : KEY_STEP_PX;
  const [f, n] = calib.selected;
  const p = calib.feet[f][n];
  calib.feet[f][n] = inside([p[0] + moves[event.key][0] * step, p[1] + moves[event.key][1] * step]);
  draw();
});
$("#point-select").addEventListener("change", (e) => {
  const [f, n] = e.target.value.split(":");
  calib.selected = [Number(f), n]; draw();
});
$("#place-points").addEventListener("click", () => {
  placeByHand();
  $("#calib-msg").textContent = "Place the points yourself, in the order the line above the picture asks.";
  calib.canvas.focus();
});
$("#undo-point").addEventListener("click", () => {
  const [f, name] = calib.placed.pop();
  delete calib.feet[f][name];
  calib.selected = calib.placed.at(-1) ?? null;
  refresh();
});
$("#view").addEventListener("change", (e) => {
  state.view = e.target.value;
  calib.feet = []; calib.selected = null; calib.placed = [];
  if (calib.still) placeByHand(); else refresh();
});
$("#calib-foot").addEventListener("change", (e) => {
  // the points placed by hand belong to the foot chosen here
  if (calib.feet.length === 1) { calib.feet[0].foot = e.target.value; refresh(); }
});

async function propose(still) {
  const blob = await new Promise((r) => still.toBlob(r, "image/jpeg", 0.9));
  const form = new FormData();
  form.append("frame", blob, "still.jpg"); form.append("view", "front");
  const response = await fetch("/api/propose", { method: "POST", body: form });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) return { ok: false, points: [], message: answer.message || `the server answered ${response.status}` };
  return answer;
}
const sentence = (text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;

$("#snap").addEventListener("click", async () => {
  try {
    await startCamera();
  } catch (e) {
    if (!e.shown) $("#calib-msg").textContent = `Could not take the picture: ${e.message}`;
    return;
  }
  calib.still = camera.still(document.createElement("canvas"));
  calib.canvas.width = calib.still.width; calib.canvas.height = calib.still.height;
  camera.video.classList.add("frozen");
  delete calib.canvas.dataset.proposal;
  if (state.view === "side") {
    placeByHand();
    $("#calib-msg").textContent = "Place the heel, the ball of the foot and the tip of the big toe, as the line above the picture asks.";
    return;
  }
  calib.feet = []; calib.selected = null; calib.placed = [];
  refresh();
  $("#calib-msg").textContent = "Looking for the toes…";
  let answer;
  try { answer = await propose(calib.still); } catch (e) { answer = { ok: false, points: [], message: "toelab could not be reached" }; }
  if (answer.points.length) {
    calib.feet = answer.points.map((p) => ({ ...p }));
    if (calib.feet.length === 1) $("#calib-foot").value = calib.feet[0].foot;
  } else {
    placeByHand();
  }
  // the server's words in full, then what to do
  $("#calib-msg").textContent = answer.ok
    ? `Found ${calib.feet.length === 1 ? "one foot" : "both feet"}. Check that each number sits on its toenail (1 = big toe); drag any point that is off.`
    : `${sentence(answer.message)} ${answer.points.length
      ? "Drag each point onto its toenail (1 = big toe), or press “Place the points myself”."
      : "Click or tap each toe in the order the line above the picture asks."} Or take the picture again with the toes flat and in good light.`;
  calib.canvas.dataset.proposal = answer.ok ? "ok" : "unsure";
  refresh();
});
$("#use-points").addEventListener("click", () => {
  const points = calib.feet.map((f) => {
    const out = { view: f.view, foot: f.foot };
    for (const n of pointsOf(f.view)) out[n] = f[n].map(Number);
    return out;
  });
  camera.video.classList.remove("frozen");
  state.still = calib.still; // the set-up check looks for this picture's forefoot
  setPoints(points);
  say(`Points saved for the ${points.map((p) => p.foot).join(" and ")} foot (${state.view} view).`);
  show(state.view === "side" ? "assess" : "train");
});
