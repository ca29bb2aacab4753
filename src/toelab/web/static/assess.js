// Assess: the battery's tests, each with its instructions, a countdown and timed steps
// recorded over the live link; the figures come back in plain words.
import { $, el, say, sleep } from "./dom.js";
import { showGuide } from "./guide.js";
import { clearLive, liveView, newTarget } from "./bars.js";
import { BeatPulse } from "./pulse.js";
import { renderSummary, warningKind } from "./results.js";
import { show } from "./screens.js";
import { READY_S, STEP_S, beat, link, liveFeet, needPoints, state } from "./session.js";
import { showDemo } from "./demo.js";
import { showPreview } from "./preview.js";
import { checkSetup, hideSetupCheck } from "./setup.js";
import { cue, speaker } from "./speech.js";

async function countdown(seconds, text) {
  $("#countdown").hidden = false;
  for (let s = Math.ceil(seconds); s > 0; s--) {
    if (state.cancel) throw new Error("stopped");
    $("#countdown").textContent = `${text} ${s}`;
    beat.beep(660, 0.08);
    cue(String(s));
    await sleep(1000);
  }
  $("#countdown").textContent = "Go!";
  cue("Go");
  beat.beep(990, 0.15);
}
// `last`: said over the last three seconds, after "3, 2, 1"
async function timed(seconds, last) {
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    if (state.cancel) throw new Error("stopped");
    const left = Math.ceil((end - performance.now()) / 1000);
    if (left <= 3 && $("#step-timer").dataset.said !== String(left)) { $("#step-timer").dataset.said = String(left); cue(String(left)); }
    $("#step-timer").textContent = `${left} s left`;
    await sleep(100);
  }
  $("#step-timer").textContent = "";
  delete $("#step-timer").dataset.said;
  cue(last);
}
const pulse = new BeatPulse($("#runner-beat"), beat);
function conditionParam(condition, key) {
  const found = (condition.parameters || []).find(([k]) => k === key);
  return found ? found[1] : null;
}

async function runTest(test) {
  if (!needPoints()) return;
  const rules = test.page; // how the test runs, from its task in the registry
  const wantView = rules.view;
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
  if (!(await checkSetup())) { say(`${test.name} not started: see the set-up check.`); return; }
  hideSetupCheck();
  // one assessment session for the whole test, however many recordings its steps take
  const run = `${test.id}-${Date.now()}`;
  $("#runner").hidden = false; $("#assess-live").hidden = false;
  $("#assess-results").replaceChildren();
  liveView($("#assess-live"), liveFeet(), 4);
  showPreview($("#assess-live"));
  // each step scores the toes it names; a test with no target (tremor) marks none
  const stepToes = (condition) => (!rules.live_target || !condition.toes.length ? null : [...condition.toes]);
  state.liveTarget = { container: $("#assess-live"), toes: stepToes(test.conditions[0]) };
  $("#step-title").textContent = test.name;
  const oneRecording = rules.one_recording;
  // a step for both feet is left out when only one foot is in view, and the page says so
  const feet = liveFeet();
  const skipped = test.conditions.filter((c) => conditionParam(c, "feet") === "both" && feet.length < 2);
  const conditions = test.conditions.filter((c) => !skipped.includes(c));
  const leftOut = skipped.map((c) => `Left out: “${c.instruction}” — only the ${feet[0]} foot is in view. `
    + "To do this step, set up the camera with both feet in view.");
  if (leftOut.length) say(leftOut.join(" "));
  const summaries = [];
  try {
    for (const [i, condition] of conditions.entries()) {
      const duration = STEP_S ?? condition.duration_s;
      $("#step-instruction").textContent = `${i + 1} of ${conditions.length}: ${condition.instruction}`;
      showDemo($("#runner"), condition.id);
      cue(`${i ? "Next. " : ""}${condition.instruction}`); // after the last step's "down", not over it
      newTarget($("#assess-live"), stepToes(condition)); // shown from "Get ready" on
      const step = guide.sheet.steps[condition.id];
      $("#step-guide").textContent = step ? `${step.how_many} ${step.tip}` : "";
      if (!oneRecording || i === 0) {
        await speaker.idle(); // nothing records yet: the instruction is heard before the count
        await countdown(READY_S, "Get ready…");
        const request = { task: test.task, points: state.points, label: `${test.name}${oneRecording ? "" : ` — ${condition.id.replaceAll("_", " ")}`}`,
          target: stepToes(condition) ?? [1], extra: { test_id: test.id, condition: oneRecording ? null : condition.id, run,
            last: oneRecording || i === conditions.length - 1, context: guide.context, step: condition.id } };
        if (rules.needs_beats) {
          const bpm = 60000 / Number(conditionParam(condition, "interval_ms") || 600);
          const beats = await beat.metronome(bpm, duration, 4);
          request.beat_times_s = beats.page_s;
          pulse.start(beats.audio, 4);
          request.extra.bpm = bpm;
        }
        await link.start(request);
      } else {
        await link.retarget(stepToes(condition) ?? [1], condition.id);
        beat.beep(880, 0.12);
      }
      $("#countdown").textContent = "";
      await timed(duration, rules.end_cue);
      pulse.stop();
      if (!oneRecording) summaries.push(await link.stop());
    }
    if (oneRecording) summaries.push(await link.stop());
    // a warning every part of the test shares (the camera's frame rate) is said once, above
    const kinds = summaries.map((s) => new Set((s.warnings || []).map(warningKind)));
    const shared = summaries.length > 1 ? [...kinds[0]].filter((k) => kinds.every((set) => set.has(k))) : [];
    const sharedText = shared.map((k) => summaries[0].warnings.find((w) => warningKind(w) === k));
    const first = summaries[0]?.label || test.name;
    $("#assess-results").replaceChildren(el("h3", { textContent: `${test.name}: results` }),
      ...sharedText.map((w) => el("p", { class: "warning shared", textContent: `${first}, and much the same in the other parts: ${w}` })),
      ...leftOut.map((text) => el("p", { class: "note left-out", textContent: text })),
      ...summaries.map((s) => renderSummary(s, { level: 4, shownAbove: new Set(shared) })));
    say(`${test.name} done.`);
    cue(`${test.name} done.`);
  } catch (e) {
    link.streaming = false; beat.stop(); pulse.stop();
    say(e.message === "stopped" ? "Test stopped." : `The test could not finish: ${e.message}`);
  } finally {
    $("#runner").hidden = true; state.liveTarget = null;
    clearLive($("#assess-live"));
  }
}
$("#runner-cancel").addEventListener("click", () => { state.cancel = true; });

export function showTests(battery) {
  $("#test-list").replaceChildren(...battery.map((test) => el("div", { class: "card" },
    el("h3", { textContent: test.name }), el("p", { textContent: test.purpose }),
    el("p", { class: "hint", textContent: test.setup.join(" ") }),
    el("button", { class: "primary", id: `test-${test.id}`, textContent: `Start: ${test.name}`, onclick: () => runTest(test) }))));
}
