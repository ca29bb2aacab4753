// toelab's page: screens, calibration, guided tests, training and musical toes.
import { Camera, LiveLink } from "./camera.js";
import { Beat, tapOffsetMs } from "./metronome.js";
import { api, guideFor, loadFlags, loadHistory, loadPeople, loadPlan, onPersonChange, renderCards, renderSheet, showGuide } from "./records.js";

const $ = (sel) => document.querySelector(sel);
const TOE_NAMES = ["big toe", "2nd toe", "3rd toe", "4th toe", "little toe"];
const FRONT_POINTS = ["toe1", "toe2", "toe3", "toe4", "toe5"];
const SIDE_POINTS = ["heel", "mtp1", "hallux_tip"];
const SIDE_LABELS = { heel: "heel", mtp1: "ball of the foot (big-toe base)", hallux_tip: "tip of the big toe" };
const BAR_FULL = 0.12; // lift (fraction of foot width) that fills a bar
const params = new URLSearchParams(location.search);
// shorter steps for a quick demonstration: ?step_s=3&ready_s=1
const STEP_S = params.has("step_s") ? Number(params.get("step_s")) : null;
const READY_S = params.has("ready_s") ? Number(params.get("ready_s")) : 3;

const camera = new Camera($("#video"));
const beat = new Beat();
const link = new LiveLink(camera, (m) => onLive(m));
// repLog: every finished lift of this page's runs (page-clock times), newest last
const state = { protocols: null, points: null, view: "front", liveTarget: null, cancel: false, repLog: [] };
window.toelab = { link, beat, state }; // figures for the benchmark and the tests

function say(text) { $("#status").textContent = text; }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (v, d = 1) => (v === null || v === undefined ? "—" : Number(v).toFixed(d));
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k.startsWith("data-")) node.setAttribute(k, v); else node[k] = v;
  }
  for (const c of children) node.append(c);
  return node;
}

// ---- screens -------------------------------------------------------------------------
function show(name) {
  for (const s of document.querySelectorAll(".screen")) s.hidden = s.id !== `screen-${name}`;
  for (const b of document.querySelectorAll("nav button")) {
    if (b.dataset.screen === name) b.setAttribute("aria-current", "page"); else b.removeAttribute("aria-current");
  }
  if (name === "calibrate") {
    const stage = $("#screen-calibrate .stage");
    if (!stage.contains(camera.video)) stage.prepend(camera.video);
  }
  if (name === "results" || name === "home") loadResults();
  if (name === "history") loadHistory();
  if (name === "plan") loadPlan();
  if (name === "flags") loadFlags();
  $("#main").focus();
}
for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => show(b.dataset.screen));

async function startCamera() {
  if (!window.isSecureContext) {
    $("#https-note").hidden = false;
    throw new Error("the camera needs a secure page (see the note)");
  }
  await camera.start();
  say(`Camera on (${camera.width}×${camera.height}).`);
}
$("#camera-start").addEventListener("click", async () => {
  try { await startCamera(); show("calibrate"); } catch (e) { say(`Camera: ${e.message}`); }
});

function needPoints() {
  if (!state.points) { say("Set up the camera first: take a picture and check the toe points."); show("calibrate"); return false; }
  return true;
}

// ---- calibration ---------------------------------------------------------------------
const calib = { canvas: $("#calib-canvas"), still: null, feet: [], selected: null, dragging: false };

function pointList() {
  const out = [];
  for (const [f, foot] of calib.feet.entries()) {
    for (const name of foot.view === "front" ? FRONT_POINTS : SIDE_POINTS) if (foot[name]) out.push([f, name]);
  }
  return out;
}
function pointLabel(foot, name) {
  return `${foot.foot} foot: ${foot.view === "front" ? TOE_NAMES[Number(name.slice(3)) - 1] : SIDE_LABELS[name]}`;
}
function refreshPointSelect() {
  const select = $("#point-select");
  select.replaceChildren(...pointList().map(([f, n]) => el("option", { value: `${f}:${n}`, textContent: pointLabel(calib.feet[f], n) })));
  if (calib.selected) select.value = `${calib.selected[0]}:${calib.selected[1]}`;
  const complete = calib.feet.length > 0 && calib.feet.every((foot) =>
    (foot.view === "front" ? FRONT_POINTS : SIDE_POINTS).every((n) => foot[n]));
  $("#use-points").disabled = !complete;
}
function drawCalibration() {
  const ctx = calib.canvas.getContext("2d");
  if (calib.still) ctx.drawImage(calib.still, 0, 0);
  ctx.lineWidth = 3;
  for (const [f, foot] of calib.feet.entries()) {
    const names = foot.view === "front" ? FRONT_POINTS : SIDE_POINTS;
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
    const missing = SIDE_POINTS.find((n) => !foot[n]);
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
  state.points = calib.feet.map((f) => {
    const out = { view: f.view, foot: f.foot };
    for (const n of f.view === "front" ? FRONT_POINTS : SIDE_POINTS) out[n] = f[n].map(Number);
    return out;
  });
  state.view = state.points[0].view;
  camera.video.classList.remove("frozen");
  say(`Points saved for the ${state.points.map((p) => p.foot).join(" and ")} foot (${state.view} view).`);
  refreshTrainFeet();
  show(state.view === "side" ? "assess" : "train");
});

// ---- live bars -----------------------------------------------------------------------
function liveView(container, feet) {
  container.replaceChildren();
  container.lastRep = {};
  for (const foot of feet) {
    const box = el("div", { class: "foot", "data-foot": foot }, el("h4", { textContent: `${foot} foot` }));
    const bars = el("div", { class: "bars" });
    TOE_NAMES.forEach((name, i) => {
      bars.append(el("div", { class: "toe", "data-toe": String(i + 1) },
        el("div", { class: "track" }, el("div", { class: "fill" })),
        el("span", { class: "name", textContent: name }),
        el("span", { class: "flag", textContent: "" })));
    });
    box.append(bars);
    container.append(box);
  }
}
function paintLive(container, message) {
  for (const [foot, data] of Object.entries(message.feet || {})) {
    const box = container.querySelector(`[data-foot="${foot}"]`);
    if (!box) continue;
    if (data.angle_deg !== undefined) {
      box.querySelector("h4").textContent = `${foot} foot: big toe bent up ${fmt(data.angle_deg, 0)}°`;
      continue;
    }
    const live = data.live;
    // the last finished rep stays shown (green, or the toes that followed) until the next one
    const shown = container.lastRep || (container.lastRep = {});
    if (data.rep) shown[foot] = data.rep;
    if (live.target_up) shown[foot] = null;
    const rep = shown[foot];
    for (let i = 0; i < 5; i++) {
      const toe = box.querySelector(`[data-toe="${i + 1}"]`);
      const level = live.level[i];
      toe.querySelector(".fill").style.height = `${Math.max(0, Math.min(1, (level ?? 0) / BAR_FULL)) * 100}%`;
      const target = live.target.includes(i + 1);
      const following = live.followers.includes(i + 1);
      const followed = !following && rep && rep.followers.includes(i + 1);
      const good = target && (live.isolated || Boolean(rep && rep.clean && !live.target_up));
      toe.classList.toggle("target", target);
      toe.classList.toggle("good", good);
      toe.classList.toggle("follower", following || Boolean(followed));
      toe.classList.toggle("lost", level === null);
      toe.querySelector(".flag").textContent = level === null ? "not seen"
        : following ? "follows" : followed ? "followed" : good ? "on its own ✓" : "";
    }
  }
}

function onLive(message) {
  if (message.type === "error") { say(message.message + (message.hint ? ` (${message.hint})` : "")); return; }
  if (message.type !== "state") return;
  for (const data of Object.values(message.feet || {})) if (data.rep) state.repLog.push(data.rep);
  if (!state.liveTarget) return;
  paintLive(state.liveTarget.container, message);
  state.liveTarget.onState?.(message);
}

// ---- results -------------------------------------------------------------------------
function rowsTable(rows, caption) {
  const table = el("table", { class: "figures" });
  if (caption) table.append(el("caption", { textContent: caption }));
  table.append(el("thead", {}, el("tr", {}, el("th", { textContent: "Figure" }), el("th", { textContent: "Value" }), el("th", { textContent: "What it means" }))));
  const body = el("tbody");
  for (const [label, value, meaning] of rows) {
    body.append(el("tr", { "data-figure": label }, el("th", { textContent: label, scope: "row" }), el("td", { textContent: value }), el("td", { textContent: meaning })));
  }
  table.append(body);
  return table;
}
function renderSummary(record) {
  const box = el("article", { class: "summary", "data-task": record.task });
  box.append(el("h4", { textContent: record.label || record.task }));
  box.append(el("p", { class: "hint", textContent: `Recorded ${fmt(record.duration_s)} s at ${fmt(record.fps, 0)} frames per second.` }));
  for (const [foot, rows] of Object.entries(record.rows || {})) {
    const caption = foot === "null" || foot === "None" ? "" : `${foot} foot`;
    box.append(rowsTable(rows, caption));
    const figures = record.results?.feet?.[foot] ?? record.results;
    if (record.task === "isolation" && figures?.toes) {
      const counts = figures.toes.map((t) => `${TOE_NAMES[t.toe - 1]} ${t.n_trials}`).join(", ");
      box.append(el("p", { class: "lifts", "data-foot": foot, textContent: `Lifts seen (toe on its own or leading): ${counts}.` }));
    }
  }
  const lr = record.results?.left_vs_right;
  if (lr) {
    const steadier = lr.more_consistent ? `the ${lr.more_consistent} foot kept steadier time` : "both feet kept time about equally steadily";
    box.append(el("p", { class: "left-right", textContent: `Left against right: ${steadier}; the left foot's lifts came ${fmt(Math.abs(lr.mean_asynchrony_diff_ms ?? 0), 0)} ms ${(lr.mean_asynchrony_diff_ms ?? 0) < 0 ? "earlier" : "later"} on average than the right's.` }));
  }
  if (record.task === "train" || record.task === "logged") {
    const reps = Object.entries(record.reps || {}).map(([f, n]) => `${f} foot ${n} reps (${record.clean_reps[f]} clean)`).join("; ");
    box.append(el("p", { textContent: reps || `Logged: ${record.exercise_name || record.exercise_id}` }));
  }
  const cards = renderCards(record.cards);
  if (cards) box.append(cards);
  for (const w of record.warnings || []) box.append(el("p", { class: "warning", textContent: w }));
  for (const n of record.results?.notes || []) box.append(el("p", { class: "hint", textContent: n }));
  return box;
}
async function loadResults() {
  try {
    const sessions = await (await fetch("/api/sessions?limit=6")).json();
    const list = sessions.length ? sessions.map((s) => {
      const box = renderSummary(s);
      box.prepend(el("p", { class: "when", textContent: new Date(s.saved_at).toLocaleString() }));
      return box;
    }) : [el("p", { textContent: "No results yet." })];
    $("#results-list").replaceChildren(...list);
    $("#home-last").replaceChildren(...(sessions.length ? [renderSummary(sessions[0])] : [el("p", { textContent: "No results yet." })]));
  } catch (e) { say(`Could not load results: ${e.message}`); }
}

// ---- assess --------------------------------------------------------------------------
async function countdown(seconds, text) {
  $("#countdown").hidden = false;
  for (let s = Math.ceil(seconds); s > 0; s--) {
    if (state.cancel) throw new Error("stopped");
    $("#countdown").textContent = `${text} ${s}`;
    beat.beep(660, 0.08);
    await sleep(1000);
  }
  $("#countdown").textContent = "Go!";
  beat.beep(990, 0.15);
}
async function timed(seconds) {
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    if (state.cancel) throw new Error("stopped");
    $("#step-timer").textContent = `${Math.ceil((end - performance.now()) / 1000)} s left`;
    await sleep(100);
  }
  $("#step-timer").textContent = "";
}
function conditionParam(condition, key) {
  const found = (condition.parameters || []).find(([k]) => k === key);
  return found ? found[1] : null;
}
function liveFeet() { return state.points.map((p) => p.foot); }

async function runTest(test) {
  if (!needPoints()) return;
  const wantView = test.task === "rom" ? "side" : "front";
  if (state.view !== wantView) {
    say(`This test needs the camera ${wantView === "side" ? "at the side of the foot" : "in front of the toes"}: set up the camera with that view first.`);
    show("calibrate"); return;
  }
  await beat.audio();
  state.cancel = false;
  $("#assess-results").replaceChildren();
  let guide;
  try {
    guide = await showGuide(test);
  } catch (e) {
    say(e.message === "stopped" ? "Test not started." : `Could not show the instructions: ${e.message}`);
    return;
  }
  // one assessment session for the whole test, however many recordings its steps take
  const run = `${test.id}-${Date.now()}`;
  $("#runner").hidden = false; $("#assess-live").hidden = false;
  $("#assess-results").replaceChildren();
  liveView($("#assess-live"), liveFeet());
  state.liveTarget = { container: $("#assess-live") };
  $("#step-title").textContent = test.name;
  const oneRecording = test.task === "isolation";
  const summaries = [];
  try {
    for (const [i, condition] of test.conditions.entries()) {
      const duration = STEP_S ?? condition.duration_s;
      $("#step-instruction").textContent = `${i + 1} of ${test.conditions.length}: ${condition.instruction}`;
      const step = guide.sheet.steps[condition.id];
      $("#step-guide").textContent = step ? `${step.how_many} ${step.tip}` : "";
      if (!oneRecording || i === 0) {
        await countdown(READY_S, "Get ready…");
        const request = { task: test.task, points: state.points, label: `${test.name}${oneRecording ? "" : ` — ${condition.id.replaceAll("_", " ")}`}`,
          target: condition.toes.length ? condition.toes : [1], extra: { test_id: test.id, condition: oneRecording ? null : condition.id, run,
            last: oneRecording || i === test.conditions.length - 1, context: guide.context } };
        if (test.task === "rhythm") {
          const bpm = 60000 / Number(conditionParam(condition, "interval_ms") || 600);
          const beats = await beat.metronome(bpm, duration, 4);
          request.beat_times_s = beats.page_s;
          request.extra.bpm = bpm;
        }
        await link.start(request);
      } else {
        beat.beep(880, 0.12);
      }
      $("#countdown").textContent = "";
      await timed(duration);
      if (!oneRecording) summaries.push(await link.stop());
    }
    if (oneRecording) summaries.push(await link.stop());
    $("#assess-results").replaceChildren(el("h3", { textContent: `${test.name}: results` }), ...summaries.map(renderSummary));
    say(`${test.name} done.`);
  } catch (e) {
    link.streaming = false; beat.stop();
    say(e.message === "stopped" ? "Test stopped." : `The test could not finish: ${e.message}`);
  } finally {
    $("#runner").hidden = true; state.liveTarget = null;
  }
}
$("#runner-cancel").addEventListener("click", () => { state.cancel = true; });

// ---- train ---------------------------------------------------------------------------
const TARGETS = {
  toe_isolation: [[1], [2], [3], [4], [5]],
  big_toe_plant: [[2, 3, 4, 5], [1]],
};
function targetLabel(toes) {
  return toes.length === 4 ? "the other four toes (big toe stays down)" : `the ${TOE_NAMES[toes[0] - 1]} (the others stay down)`;
}
function currentExercise() { return state.protocols.exercises.find((x) => x.id === $("#exercise").value); }
function refreshTrainFeet() {
  if (!state.points) return;
  $("#train-foot").replaceChildren(...liveFeet().map((f) => el("option", { value: f, textContent: f })));
}
async function showExerciseGuide(ex) {
  try {
    const sheet = await guideFor("exercise", ex.id);
    if (currentExercise().id === ex.id) $("#exercise-guide").replaceChildren(renderSheet(sheet));
  } catch (e) { $("#exercise-guide").replaceChildren(); }
}
function refreshExercise() {
  const ex = currentExercise();
  showExerciseGuide(ex);
  const dose = [ex.dose.reps && `${ex.dose.reps} reps${ex.id === "toe_isolation" ? " per toe" : ""}`, ex.dose.sets && `${ex.dose.sets} set(s)`,
    ex.dose.hold_s && `hold ${ex.dose.hold_s} s`, ex.dose.minutes && `${ex.dose.minutes} min`].filter(Boolean).join(", ");
  // what it trains and its steps are in the instructions below
  $("#exercise-info").replaceChildren(
    el("p", { class: "dose", textContent: `Dose: ${dose}; ${ex.frequency.label}.` }),
    el("p", { class: "hint", textContent: ex.camera_judged ? "The camera checks this one." : "The camera cannot judge this one: use the timer and log it when done." }),
    el("details", { class: "guide", open: true }, el("summary", { textContent: "How to do it: set-up, steps and common mistakes" }),
      el("div", { id: "exercise-guide" })));
  const camera = ex.camera_judged && TARGETS[ex.id];
  $("#train-camera").hidden = !camera;
  $("#train-manual").hidden = Boolean(camera);
  if (camera) {
    $("#target").replaceChildren(...TARGETS[ex.id].map((t) => el("option", { value: t.join(","), textContent: targetLabel(t) })));
    $("#reps-goal").textContent = String(ex.dose.reps || 10);
    $("#hold-box").hidden = !ex.dose.hold_s;
  } else {
    manual.seconds = (ex.dose.minutes || 2) * 60;
    $("#manual-timer").textContent = clock(manual.seconds);
  }
}
$("#exercise").addEventListener("change", refreshExercise);

const train = { holdAnnounced: false, reps: 0 };
$("#train-start").addEventListener("click", async () => {
  if (!needPoints()) return;
  if (state.view !== "front") { say("Training needs the camera in front of the toes."); show("calibrate"); return; }
  const ex = currentExercise();
  const target = $("#target").value.split(",").map(Number);
  await beat.audio();
  $("#exercise-info details.guide").open = false; // the live bars need the room now
  liveView($("#train-live"), [$("#train-foot").value]);
  train.holdAnnounced = false;
  $("#reps").textContent = "0"; $("#clean-reps").textContent = "0"; $("#train-results").replaceChildren();
  const goal = ex.dose.reps || 10;
  state.liveTarget = {
    container: $("#train-live"),
    onState: (m) => {
      const live = m.feet[$("#train-foot").value]?.live;
      if (!live) return;
      $("#reps").textContent = String(live.reps);
      $("#clean-reps").textContent = String(live.clean_reps);
      if (live.hold_target_s) $("#hold").textContent = `${fmt(live.held_s)} (${fmt(live.hold_remaining_s)} to go)`;
      if (live.hold_reached && !train.holdAnnounced) { train.holdAnnounced = true; beat.beep(1320, 0.4); $("#train-cue").textContent = "Hold done — lower slowly."; }
      if (!live.target_up) train.holdAnnounced = false;
      if (live.followers.length) {
        const names = live.followers.map((t) => TOE_NAMES[t - 1]);
        $("#train-cue").textContent = `${names.join(" and ")} ${names.length > 1 ? "follow — keep them" : "follows — keep it"} down.`;
      }
      else if (live.isolated) $("#train-cue").textContent = "Good — on its own.";
      if (live.clean_reps >= goal && !train.done) { train.done = true; beat.beep(1320, 0.6); $("#train-cue").textContent = `${goal} clean reps — well done. Stop to keep the result.`; }
    },
  };
  train.done = false;
  try {
    await link.start({ task: "train", points: state.points, target, hold_s: ex.dose.hold_s || null, label: `${ex.name}: ${targetLabel(target)}`, extra: { exercise_id: ex.id } });
    $("#train-start").disabled = true; $("#train-stop").disabled = false;
    $("#train-cue").textContent = `Lift ${targetLabel(target)}.`;
  } catch (e) { say(`Could not start: ${e.message}`); }
});
$("#train-stop").addEventListener("click", async () => {
  $("#train-stop").disabled = true;
  try {
    const record = await link.stop(true);
    $("#train-results").replaceChildren(renderSummary(record));
  } catch (e) { say(`Could not stop cleanly: ${e.message}`); }
  $("#train-start").disabled = false; state.liveTarget = null;
});

const manual = { seconds: 120, timer: null };
function clock(s) { return `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`; }
$("#manual-start").addEventListener("click", async () => {
  await beat.audio();
  clearInterval(manual.timer);
  let left = manual.seconds;
  manual.timer = setInterval(() => {
    left -= 1; $("#manual-timer").textContent = clock(Math.max(0, left));
    if (left <= 0) { clearInterval(manual.timer); beat.beep(1320, 0.6); say("Time is up — log it when you are done."); }
  }, 1000);
});
$("#manual-log").addEventListener("click", async () => {
  const ex = currentExercise();
  clearInterval(manual.timer);
  const number = (sel) => ($(sel).value === "" ? null : Number($(sel).value));
  try {
    const logged = await api("/api/exercise-log", { exercise_id: ex.id, minutes: number("#manual-minutes"), pain: number("#manual-pain"),
      comment: "logged by hand" });
    say(`${ex.name} logged${logged.plan_marked ? " and counted in today's plan" : ""}.`);
  } catch (e) { say(`Could not log it: ${e.message}`); }
});

// ---- musical toes --------------------------------------------------------------------
const music = { song: null, songBeats: null, hits: 0, lifts: 0 };
function setBpm(v) { $("#bpm").value = v; $("#bpm-value").textContent = String(v); }
$("#bpm").addEventListener("input", (e) => setBpm(e.target.value));
for (const b of document.querySelectorAll("[data-bpm]")) b.addEventListener("click", () => setBpm(b.dataset.bpm));

$("#song").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) { music.song = null; return; }
  $("#song-msg").textContent = "Finding the beat of your song…";
  try {
    const ctx = await beat.audio();
    const form = new FormData(); form.append("song", file);
    const [answer, buffer] = await Promise.all([
      fetch("/api/beats", { method: "POST", body: form }).then((r) => r.json()),
      file.arrayBuffer().then((b) => ctx.decodeAudioData(b)),
    ]);
    if (!answer.beat_times_s || answer.beat_times_s.length < 4) throw new Error(answer.message || "no clear beat found");
    music.song = buffer; music.songBeats = answer.beat_times_s;
    $("#song-msg").textContent = `Song ready: about ${fmt(answer.tempo_bpm, 0)} beats per minute. Start plays it.`;
  } catch (err) { music.song = null; $("#song-msg").textContent = `Could not use the song: ${err.message}`; }
});

$("#music-start").addEventListener("click", async () => {
  if (!needPoints()) return;
  if (state.view !== "front") { say("Musical toes needs the camera in front of the toes."); show("calibrate"); return; }
  const toes = $("#music-toes").value.split(",").map(Number);
  const seconds = STEP_S ?? Number($("#music-length").value);
  const bpm = Number($("#bpm").value);
  music.hits = 0; music.lifts = 0;
  liveView($("#music-live"), liveFeet());
  $("#music-results").replaceChildren();
  state.liveTarget = {
    container: $("#music-live"),
    onState: (m) => {
      for (const data of Object.values(m.feet)) {
        const rep = data.rep;
        if (!rep) continue;
        music.lifts += 1;
        const a = rep.asynchrony_ms;
        if (a === null || a === undefined) { $("#music-cue").textContent = "Between beats — wait for the click."; continue; }
        music.hits += 1;
        $("#music-cue").textContent = Math.abs(a) <= 60 ? `On the beat (${fmt(a, 0)} ms) — hits ${music.hits}`
          : `${fmt(Math.abs(a), 0)} ms ${a < 0 ? "early" : "late"} — hits ${music.hits}`;
      }
    },
  };
  try {
    const beats = music.song ? await beat.song(music.song, music.songBeats, seconds) : await beat.metronome(bpm, seconds, $("#accent").checked ? 4 : 0);
    state.music = { beats, seconds };
    await link.start({ task: "rhythm", points: state.points, target: toes, beat_times_s: beats.page_s,
      label: `Musical toes: ${toes.length === 1 ? "big toe" : "the other four"}, ${music.song ? "own song" : `${bpm} beats per minute`}`,
      extra: { bpm: music.song ? null : bpm, song: Boolean(music.song), output_delay_ms: beat.outputDelayS() * 1000, tap_offset_ms: beat.tapOffsetMs } });
    $("#music-start").disabled = true; $("#music-stop").disabled = false;
    const end = performance.now() + (seconds + 0.8) * 1000;
    while (performance.now() < end && link.streaming) await sleep(100);
    if (link.streaming) await finishMusic();
  } catch (e) { say(`Musical toes could not run: ${e.message}`); beat.stop(); }
});
async function finishMusic() {
  beat.stop();
  $("#music-stop").disabled = true;
  try {
    const record = await link.stop(true);
    $("#music-results").replaceChildren(renderSummary(record));
  } catch (e) { say(`Could not finish: ${e.message}`); }
  $("#music-start").disabled = false; state.liveTarget = null;
}
$("#music-stop").addEventListener("click", finishMusic);

const tap = { taps: [], clicks: [] };
$("#tap-start").addEventListener("click", async () => {
  beat.setTapOffset(0);
  tap.taps = [];
  const run = await beat.metronome(100, 8 * 0.6, 0);
  tap.clicks = run.page_s.map((s) => s * 1000);
  $("#tap-msg").textContent = "Tap with each click…";
  await sleep(8 * 600 + 1200);
  const offset = tapOffsetMs(tap.taps, tap.clicks);
  if (offset === null) { $("#tap-msg").textContent = "Too few taps near the clicks — try again."; return; }
  // people tap slightly before the click; only a delay (a later tap) is taken as sound delay
  beat.setTapOffset(Math.max(0, offset));
  $("#tap-msg").textContent = `Your taps were ${fmt(Math.abs(offset), 0)} ms ${offset < 0 ? "before" : "after"} the clicks; toelab now allows ${fmt(beat.tapOffsetMs, 0)} ms of extra sound delay.`;
});
function addTap() { tap.taps.push(performance.now()); }
$("#tap").addEventListener("click", addTap);
document.addEventListener("keydown", (e) => {
  if (e.code === "Space" && !$("#screen-music").hidden && e.target.tagName !== "BUTTON" && e.target.tagName !== "INPUT") { e.preventDefault(); addTap(); }
});

// ---- start ---------------------------------------------------------------------------
async function init() {
  if (!window.isSecureContext) $("#https-note").hidden = false;
  state.protocols = await (await fetch("/api/protocols")).json();
  $("#test-list").replaceChildren(...state.protocols.battery.map((test) => el("div", { class: "card" },
    el("h3", { textContent: test.name }), el("p", { textContent: test.purpose }),
    el("p", { class: "hint", textContent: test.setup.join(" ") }),
    el("button", { class: "primary", id: `test-${test.id}`, textContent: `Start: ${test.name}`, onclick: () => runTest(test) }))));
  $("#exercise").replaceChildren(...state.protocols.exercises.map((x) => el("option", { value: x.id, textContent: x.name })));
  refreshExercise();
  $("#red-flags ul").replaceChildren(...state.protocols.red_flags.map((f) => el("li", {},
    el("strong", { textContent: f.title }), ` — ${f.advice} See: ${f.see}, ${f.when}.`)));
  loadResults();
  await loadPeople();
  onPersonChange(() => {
    // the live link belongs to the person chosen when it opened
    if (link.ws) link.ws.close();
    link.ws = null;
    const screen = document.querySelector("nav button[aria-current]")?.dataset.screen;
    if (screen) show(screen);
  });
  document.body.dataset.ready = "1";
}
init().catch((e) => say(`toelab could not load: ${e.message}`));
