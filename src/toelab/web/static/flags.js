// The red-flag questions: when a professional should have a look, and whom to see. Every
// question starts unanswered and needs an answer; earlier answers are offered, not assumed.
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
const yesNo = (answer) => (answer ? "yes" : "no");

function question(q, earlier) {
  const radio = (value, text) => el("label", {}, el("input", { type: "radio", name: q.id, value }), ` ${text}`);
  return el("fieldset", { class: "choices", "data-question": q.id },
    el("legend", { textContent: q.text }),
    earlier === undefined ? null : el("p", { class: "earlier", textContent: `Last time: ${yesNo(earlier)}` }),
    radio("yes", "Yes"), radio("no", "No"));
}
// the earlier answers, filled in only when the person asks; they still press "Keep my answers"
function offerEarlier(when, last) {
  if (!when || !Object.keys(last).length) { $("#flags-earlier").replaceChildren(); return; }
  const use = el("button", { type: "button", id: "flags-use-last", textContent: `Fill in my answers of ${day(when)}` });
  use.addEventListener("click", () => {
    for (const [id, answer] of Object.entries(last)) {
      const input = $(`#flags-questions input[name="${id}"][value="${yesNo(answer)}"]`);
      if (input) input.checked = true;
    }
    checkAnswered(false);
    say("Your earlier answers are filled in: check each one, change what is different now, then keep them.");
  });
  $("#flags-earlier").replaceChildren(el("p", { class: "hint", id: "flags-last",
    textContent: `You answered these on ${day(when)}. Your answers then are shown under each question; they count only once you answer again.` }),
  el("div", { class: "row" }, use));
}
export async function loadFlags() {
  try {
    const answer = await api("/api/red-flags");
    const last = answer.last_answers || {};
    offerEarlier(answer.answered_on, last);
    $("#flags-questions").replaceChildren(...answer.questions.map((q) => question(q, last[q.id])));
    $("#flags-missing").textContent = "";
    showAdvice(answer.flags);
  } catch (e) { say(`Could not load the questions: ${e.message}`); }
}
onScreen("flags", loadFlags);

// Marks the questions still unanswered; with `tell`, says how many and goes to the first.
function checkAnswered(tell) {
  const open = [...document.querySelectorAll("#flags-questions fieldset")].filter((f) => !f.querySelector("input:checked"));
  for (const f of document.querySelectorAll("#flags-questions fieldset")) {
    const missing = open.includes(f) && (tell || f.classList.contains("missing"));
    f.classList.toggle("missing", missing);
    for (const input of f.querySelectorAll("input")) input.setAttribute("aria-invalid", String(missing));
  }
  if (!open.length) { $("#flags-missing").textContent = ""; return true; }
  if (tell) {
    $("#flags-missing").textContent = open.length === 1 ? "One question has no answer yet: please answer it (marked)."
      : `${open.length} questions have no answer yet: please answer each (marked).`;
    open[0].querySelector("input").focus();
  }
  return false;
}
$("#flags-questions").addEventListener("change", () => checkAnswered(false));
$("#flags-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!checkAnswered(true)) return;
  const answers = {};
  for (const input of e.target.querySelectorAll("#flags-questions input[type=radio]:checked")) answers[input.name] = input.value === "yes";
  try { showAdvice((await api("/api/red-flags", { answers })).flags); say("Answers kept."); $("#flags-advice").focus(); } catch (err) { say(err.message); }
});
