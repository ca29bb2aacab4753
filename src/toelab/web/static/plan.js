// The plan for today: the chosen exercises, each day's marks and how regularly they were done.
import { $, api, day, el, say, table } from "./dom.js";
import { onScreen } from "./screens.js";
import { exerciseName } from "./vocabulary.js";

function planChooser(p) {
  const chosen = new Set(p.plan ? p.plan.exercise_ids : ["toe_isolation", "big_toe_plant", "towel_scrunch"]);
  const form = el("form", { id: "plan-form" }, el("fieldset", {}, el("legend", { textContent: "Exercises in your plan" }),
    ...p.exercises.map((x) => el("label", { class: "block" }, el("input", { type: "checkbox", name: "exercise", value: x.id, checked: chosen.has(x.id) }), ` ${x.name}`))),
  el("button", { class: "primary", type: "submit", textContent: p.plan ? "Start a new plan today" : "Make my plan" }));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const ids = [...form.querySelectorAll("[name=exercise]:checked")].map((i) => i.value);
    if (!ids.length) { say("Pick at least one exercise."); return; }
    try { renderPlan(await api("/api/plan", { exercise_ids: ids })); say("Plan saved."); } catch (err) { say(err.message); }
  });
  return form;
}
function renderPlan(p) {
  const box = $("#plan-body");
  if (!p.plan) {
    box.replaceChildren(el("p", { textContent: "No plan yet. Choose the exercises you mean to do; toelab lists each day's and counts what you did." }), planChooser(p));
    return;
  }
  const mark = (id, done) => async () => {
    try { renderPlan(await api("/api/plan/mark", { exercise_id: id, done })); say(done ? "Marked done." : "Marked missed."); } catch (err) { say(err.message); }
  };
  const today = p.todays.length ? el("ul", { class: "today" }, ...p.todays.map((x) => el("li", { "data-exercise": x.id, class: x.times_done >= x.per_day ? "done" : "" },
    el("span", { class: "what", textContent: `${x.name} — ${x.frequency}` }),
    el("span", { class: "count", textContent: `${x.times_done} of ${x.per_day} done` }),
    el("span", { class: "row" },
      el("button", { textContent: "Done", "aria-label": `${x.name}: done`, onclick: mark(x.id, true) }),
      el("button", { textContent: "Missed", "aria-label": `${x.name}: missed`, onclick: mark(x.id, false) })))))
    : el("p", { textContent: "Nothing planned for today — a rest day." });
  const weeks = p.adherence.filter((w) => w.target).slice(-8).reverse();
  const adherence = weeks.length ? el("ul", { class: "weeks" }, ...weeks.map((w) => {
    const pct = Math.round(100 * (w.fraction ?? 0));
    return el("li", {}, el("span", { textContent: `Week of ${day(w.week_start)}` }),
      el("span", { class: "meter", role: "img", "aria-label": `${pct} percent` }, el("span", { style: `width:${pct}%` })),
      el("span", { textContent: `${w.done} of ${w.target} (${pct} %)` }));
  })) : null;
  const log = p.log.length ? table("Recently logged", ["Day", "Exercise", "Reps", "Minutes", "Pain (0–10)"],
    p.log.slice(0, 10).map((e) => [day(e.day), exerciseName(e.exercise_id), e.reps ?? "—", e.minutes ?? "—", e.pain ?? "—"])) : null;
  box.replaceChildren(...[el("h3", { textContent: `Today, ${day(p.today)}` }), today,
    el("h3", { textContent: "How regularly you practised" }), adherence || el("p", { textContent: "No full week yet." }),
    log, el("details", {}, el("summary", { textContent: "Change the plan" }), planChooser(p))].filter(Boolean));
}
export async function loadPlan() {
  try { renderPlan(await api("/api/plan")); } catch (e) { $("#plan-body").replaceChildren(el("p", { class: "warning", textContent: `Could not load the plan: ${e.message}` })); }
}
onScreen("plan", loadPlan);
