// The next level of an exercise: proposed once its dose is met in 80 % of sets for two weeks;
// the person takes it up, or their clinician sets the level.
import { $, api, el, say } from "./dom.js";
import { onScreen } from "./screens.js";

let clinician = false;

function exerciseRow(x) {
  const parts = [el("h4", { textContent: x.name }),
    el("p", {}, el("strong", { textContent: "Now: " }), x.level.instruction),
    el("p", { class: "hint", textContent: `${x.level.advance_when} So far: ${x.reason}.` })];
  if (x.ready && x.next) {
    parts.push(el("div", { class: "note proposal", "data-proposal": x.exercise_id },
      el("p", {}, el("strong", { textContent: "Ready for the next level: " }), x.next.instruction),
      el("button", { class: "primary", type: "button", textContent: "Take up the next level",
        onclick: () => choose(x.exercise_id, x.next.id) })));
  }
  if (clinician) {
    const select = el("select", { "aria-label": `Level of ${x.name}` },
      ...x.levels.map((lv) => el("option", { value: lv.id, textContent: lv.instruction, selected: lv.id === x.level.id })));
    parts.push(el("p", { class: "row" }, el("label", {}, "Set the level ", select),
      el("button", { type: "button", textContent: "Set", onclick: () => choose(x.exercise_id, select.value) })));
  }
  return el("div", { class: "card", "data-exercise": x.exercise_id }, ...parts);
}
function render(answer) {
  const box = $("#progression-box");
  if (!answer.exercises.length) { box.replaceChildren(); return; }
  box.replaceChildren(el("h3", { textContent: "Levels" }), ...answer.exercises.map(exerciseRow));
}
async function choose(exerciseId, levelId) {
  try { render(await api("/api/progression", { exercise_id: exerciseId, level_id: levelId })); say("Level kept."); } catch (err) { say(err.message); }
}
export async function loadProgression() {
  try {
    const people = await api("/api/people");
    clinician = people.account?.role === "clinician";
    render(await api("/api/progression"));
  } catch { $("#progression-box").replaceChildren(); }
}
onScreen("plan", loadProgression);
