// A finished run in plain words: its figures with what they mean, the lifts seen, the
// do's and don'ts; the Results screen lists the chosen person's runs, a page at a time.
import { $, el, fmt, say } from "./dom.js";
import { renderCards } from "./guide.js";
import { renderSteps } from "./steps.js";
import { onPersonChange } from "./people.js";
import { onScreen } from "./screens.js";
import { footWord, taskName, toeName } from "./vocabulary.js";

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
// what a warning is about: its statement up to the first colon or semicolon, numbers aside
// (a frame rate of 19.8 or 29.9 per second, and the bands that rate leaves out, are one kind)
export const warningKind = (text) => text.split(/[:;]/)[0].replace(/[\d.]+/g, "#");

// `level`: the heading level of the run's title (the page's outline stays in order);
// `shownAbove`: kinds of warning already said once for the whole test
export function renderSummary(record, { level = 3, shownAbove = new Set() } = {}) {
  const box = el("article", { class: "summary", "data-task": record.task });
  box.append(el(`h${level}`, { textContent: record.label || taskName(record.task) }));
  // a run logged by hand was not recorded
  if (record.duration_s !== undefined) box.append(el("p", { class: "hint", textContent: `Recorded ${fmt(record.duration_s)} s at ${fmt(record.fps, 0)} frames per second.` }));
  for (const [foot, rows] of Object.entries(record.rows || {})) {
    const caption = foot === "null" || foot === "None" ? "" : footWord(foot) || `${foot} foot`;
    box.append(rowsTable(rows, caption));
    const figures = record.results?.feet?.[foot] ?? record.results;
    if (figures?.toes) { // a task with figures per toe
      const counts = figures.toes.map((t) => `${toeName(t.toe)} ${t.n_trials}`).join(", ");
      box.append(el("p", { class: "lifts", "data-foot": foot, textContent: `Lifts seen (toe on its own or leading): ${counts}.` }));
    }
  }
  const steps = renderSteps(record.steps, level + 1, rowsTable);
  if (steps) box.append(steps);
  const lr = record.results?.left_vs_right;
  if (lr) {
    const steadier = lr.more_consistent ? `the ${lr.more_consistent} foot kept steadier time` : "both feet kept time about equally steadily";
    box.append(el("p", { class: "left-right", textContent: `Left against right: ${steadier}; the left foot's lifts came ${fmt(Math.abs(lr.mean_asynchrony_diff_ms ?? 0), 0)} ms ${(lr.mean_asynchrony_diff_ms ?? 0) < 0 ? "earlier" : "later"} on average than the right's.` }));
  }
  if (record.task === "train" || record.task === "logged") {
    const reps = Object.entries(record.reps || {}).map(([f, n]) => `${footWord(f)} ${n} reps (${record.clean_reps[f]} clean)`).join("; ");
    box.append(el("p", { textContent: reps || `Logged: ${record.exercise_name || record.exercise_id}` }));
  }
  const cards = renderCards(record.cards, level + 1);
  if (cards) box.append(cards);
  for (const w of record.warnings || []) if (!shownAbove.has(warningKind(w))) box.append(el("p", { class: "warning", textContent: w }));
  for (const n of record.results?.notes || []) box.append(el("p", { class: "hint", textContent: n }));
  return box;
}
const PAGE = 6; // runs on one page of Results
const results = { offset: 0 };

function runBox(s) {
  const box = renderSummary(s, { level: 3 });
  box.prepend(el("p", { class: "when", textContent: new Date(s.saved_at).toLocaleString() }));
  return box;
}
// The chosen person's runs (tests and training), newest first, a page at a time.
export async function loadResults() {
  try {
    // one more than a page: whether there are older runs
    const sessions = await (await fetch(`/api/sessions?limit=${PAGE + 1}&offset=${results.offset}`)).json();
    if (!sessions.length && results.offset > 0) { results.offset = 0; return loadResults(); }
    const pager = el("div", { class: "pager" });
    if (results.offset > 0) pager.append(el("button", { id: "results-newer", textContent: "Newer runs", onclick: () => { results.offset = Math.max(0, results.offset - PAGE); loadResults(); } }));
    if (sessions.length > PAGE) pager.append(el("button", { id: "results-older", textContent: "Older runs", onclick: () => { results.offset += PAGE; loadResults(); } }));
    const list = sessions.length ? sessions.slice(0, PAGE).map(runBox) : [el("p", { textContent: "No results yet." })];
    $("#results-list").replaceChildren(...list, pager);
    if (results.offset === 0) {
      $("#home-last").replaceChildren(...(sessions.length ? [renderSummary(sessions[0], { level: 4 })] : [el("p", { textContent: "No results yet." })]));
    }
  } catch (e) { say(`Could not load results: ${e.message}`); }
}
onScreen("results", loadResults);
onScreen("home", () => { results.offset = 0; loadResults(); });
onPersonChange(() => { results.offset = 0; });
