// Train: an exercise with its dose and instructions; camera-judged ones count reps with the
// live bars, the others run a timer and are logged by hand.
import { $, api, el, fmt, say } from "./dom.js";
import { guideFor, renderSheet } from "./guide.js";
import { liveView } from "./bars.js";
import { renderSummary } from "./results.js";
import { show } from "./screens.js";
import { beat, link, liveFeet, needPoints, onPoints, state } from "./session.js";
import { toeName, words } from "./vocabulary.js";
import { trainingCues } from "./cues.js";
import { showDemo } from "./demo.js";
import { showPreview } from "./preview.js";
import { cue } from "./speech.js";

const targetsOf = (ex) => words.train_targets[ex.id];
const targetLabel = (ex, toes) => targetsOf(ex).find((t) => t.toes.join() === toes.join()).label;
function currentExercise() { return state.protocols.exercises.find((x) => x.id === $("#exercise").value); }
onPoints(() => {
  $("#train-foot").replaceChildren(...liveFeet().map((f) => el("option", { value: f, textContent: f })));
});
async function showExerciseGuide(ex) {
  try {
    const sheet = await guideFor("exercise", ex.id);
    if (currentExercise().id === ex.id) $("#exercise-guide").replaceChildren(renderSheet(sheet, 3));
  } catch (e) { $("#exercise-guide").replaceChildren(); }
}

const manual = { seconds: 120, timer: null };
function clock(s) { return `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`; }

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
  showDemo($("#exercise-info"), ex.id);
  const camera = ex.camera_judged && targetsOf(ex);
  $("#train-camera").hidden = !camera;
  $("#train-manual").hidden = Boolean(camera);
  if (camera) {
    $("#target").replaceChildren(...targetsOf(ex).map((t) => el("option", { value: t.toes.join(","), textContent: t.label })));
    $("#reps-goal").textContent = String(ex.dose.reps || 10);
    $("#hold-box").hidden = !ex.dose.hold_s;
  } else {
    manual.seconds = (ex.dose.minutes || 2) * 60;
    $("#manual-timer").textContent = clock(manual.seconds);
  }
}
$("#exercise").addEventListener("change", refreshExercise);
export function showExercises(exercises) {
  $("#exercise").replaceChildren(...exercises.map((x) => el("option", { value: x.id, textContent: x.name })));
  refreshExercise();
}

const train = { holdAnnounced: false, done: false };
$("#train-start").addEventListener("click", async () => {
  if (!needPoints()) return;
  if (state.view !== "front") { say("Training needs the camera in front of the toes."); show("calibrate"); return; }
  const ex = currentExercise();
  const target = $("#target").value.split(",").map(Number);
  await beat.audio();
  $("#exercise-info details.guide").open = false; // the live bars need the room now
  liveView($("#train-live"), [$("#train-foot").value]);
  showPreview($("#train-live"), () => target);
  train.holdAnnounced = false;
  $("#reps").textContent = "0"; $("#clean-reps").textContent = "0"; $("#train-results").replaceChildren();
  const goal = ex.dose.reps || 10;
  trainingCues(goal);
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
        const names = live.followers.map(toeName);
        $("#train-cue").textContent = `${names.join(" and ")} ${names.length > 1 ? "follow — keep them" : "follows — keep it"} down.`;
      }
      else if (live.isolated) $("#train-cue").textContent = "Good — on its own.";
      if (live.clean_reps >= goal && !train.done) { train.done = true; beat.beep(1320, 0.6); $("#train-cue").textContent = `${goal} clean reps — well done. Stop to keep the result.`; }
    },
  };
  train.done = false;
  try {
    const label = targetLabel(ex, target);
    await link.start({ task: "train", points: state.points, target, hold_s: ex.dose.hold_s || null, label: `${ex.name}: ${label}`, extra: { exercise_id: ex.id } });
    $("#train-start").disabled = true; $("#train-stop").disabled = false;
    $("#train-cue").textContent = `Lift ${label}.`;
    cue(`Lift ${label}.`, { now: true });
  } catch (e) { say(`Could not start: ${e.message}`); }
});
$("#train-stop").addEventListener("click", async () => {
  $("#train-stop").disabled = true;
  try {
    const record = await link.stop(true);
    $("#train-results").replaceChildren(renderSummary(record, { level: 3 }));
  } catch (e) { say(`Could not stop cleanly: ${e.message}`); }
  $("#train-start").disabled = false; state.liveTarget = null;
});

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
