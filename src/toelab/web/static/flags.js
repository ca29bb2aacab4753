// The red-flag questions: when a professional should have a look, and whom to see.
import { $, api, day, el, say } from "./dom.js";
import { onScreen } from "./screens.js";

export function flagBoxes(flags) {
  return flags.map((f) => el("div", { class: "note flag-box", "data-flag": f.id },
    el("strong", { textContent: f.title }), el("p", { textContent: f.advice }),
    el("p", {}, el("strong", { textContent: "See: " }), `${f.see}, ${f.when}.`),
    f.reason ? el("p", { class: "hint", textContent: `Because: ${f.reason}` }) : null));
}
function showAdvice(flags) {
  const box = $("#flags-advice");
  box.replaceChildren(...(flags.length
    ? [el("h3", { textContent: "Our advice" }), ...flagBoxes(flags)]
    : [el("p", { class: "good", textContent: "Nothing in your answers or your tests calls for a visit now. Answer again whenever something changes." })]));
}
export async function loadFlags() {
  try {
    const answer = await api("/api/red-flags");
    const last = answer.last_answers || {};
    const intro = answer.answered_on
      ? [el("p", { class: "hint", id: "flags-last", textContent: `Your answers of ${day(answer.answered_on)} are filled in: change any that are different now.` })]
      : [];
    $("#flags-questions").replaceChildren(...intro, ...answer.questions.map((q) => el("fieldset", { class: "choices", "data-question": q.id },
      el("legend", { textContent: q.text }),
      el("label", {}, el("input", { type: "radio", name: q.id, value: "yes", checked: last[q.id] === true }), " Yes"),
      el("label", {}, el("input", { type: "radio", name: q.id, value: "no", checked: last[q.id] !== true }), " No"))));
    showAdvice(answer.flags);
  } catch (e) { say(`Could not load the questions: ${e.message}`); }
}
onScreen("flags", loadFlags);
$("#flags-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const answers = {};
  for (const input of e.target.querySelectorAll("input[type=radio]:checked")) answers[input.name] = input.value === "yes";
  try { showAdvice((await api("/api/red-flags", { answers })).flags); say("Answers kept."); $("#flags-advice").focus(); } catch (err) { say(err.message); }
});
