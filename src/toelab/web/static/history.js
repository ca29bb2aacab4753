// History: every session, the trend charts, change since the first test, left against
// right, the tremor checks beside their context, and the downloads.
import { $, api, day, el, fmt, num, svgImage, table } from "./dom.js";
import { flagBoxes } from "./flags.js";
import { onScreen } from "./screens.js";
import { exerciseName, footWord, taskName, words } from "./vocabulary.js";

function sessionLine(s) {
  const what = s.trials.map((t) => {
    const name = t.task === "exercise" ? exerciseName(t.exercise_id || "exercise") : taskName(t.task);
    const main = t.figures.find((f) => f.toe === null);
    const condition = t.condition ? ` (${words.conditions[t.condition] || t.condition})` : "";
    const withheld = (t.not_measured || []).join("; ");
    return `${name}${condition}${main ? `: ${main.label} ${main.text}` : ""}${withheld ? `: ${withheld}` : ""}`;
  }).join("; ");
  const context = s.context.length ? ` — ${s.context.join(", ")}` : "";
  const kind = words.session_kinds[s.kind] || s.kind;
  return el("li", { "data-session": String(s.id), "data-kind": s.kind },
    el("strong", { textContent: `${new Date(s.started_at).toLocaleString()} ` }), `${kind}${s.status !== "complete" ? ` (${s.status})` : ""}: ${what}${context}`);
}
export async function loadHistory() {
  const box = $("#history-body");
  try {
    const h = await api("/api/history");
    const parts = [el("p", { class: "lead", textContent: `Records of ${h.person.display_name}: ${h.sessions.length} ${h.sessions.length === 1 ? "session" : "sessions"}.` })];
    if (h.flags.length) parts.push(el("h3", { textContent: "When to see a professional" }), ...flagBoxes(h.flags));
    if (h.charts.length) {
      parts.push(el("h3", { textContent: "Over the weeks" }), el("div", { class: "charts" },
        ...h.charts.map((c) => el("figure", { class: "chart" }, svgImage(c.svg, c.caption), el("figcaption", { textContent: c.caption })))));
    } else if (h.sessions.length) {
      parts.push(el("p", { class: "hint", textContent: "The charts appear after two tests on different days." }));
    }
    if (h.changes.length) {
      parts.push(table("Change since your first test", ["Figure", "Foot", "First", "Latest", "Change"],
        h.changes.map((c) => [c.label, footWord(c.foot), `${num(c.baseline_value)} (${day(c.baseline_day)})`, `${num(c.latest_value)} (${day(c.latest_day)})`,
          c.change_pct === null ? num(c.change) : `${c.change >= 0 ? "+" : ""}${fmt(c.change_pct, 0)} %`])));
    }
    if (h.asymmetries.length) {
      parts.push(table("Left and right, at the latest test of both", ["Figure", "Left", "Right", "Difference"],
        h.asymmetries.map((a) => [a.label, num(a.left), num(a.right),
          `${fmt(a.symmetry_index_pct, 0)} %${a.weaker_foot ? `; the ${a.weaker_foot} foot is behind` : ""}`])));
    }
    const advice = h.plateaus.filter((p) => p.advice);
    if (advice.length) parts.push(el("h3", { textContent: "Is it still improving?" }), ...advice.map((p) => el("p", { class: "note", textContent: `${p.advice}${p.foot ? ` (${footWord(p.foot)})` : ""}` })));
    else if (h.plateaus.length) parts.push(el("p", { class: "good", textContent: "Your trained figures improved over the last weeks." }));
    if (h.tremor.timeline.length) {
      parts.push(table("Tremor checks and what went with them", ["When", "Foot", "Condition", "Frequency", "Size", "Context"],
        h.tremor.timeline.map((r) => [new Date(r.when).toLocaleString(), footWord(r.foot), words.conditions[r.condition] || r.condition || "—",
          r.frequency, r.size, r.context.join(", ") || "—"])));
      for (const c of h.tremor.comparisons) parts.push(el("p", { textContent: c }));
      parts.push(el("p", { class: "hint", textContent: h.tremor.caution }));
    }
    if (h.sessions.length) parts.push(el("h3", { textContent: "Sessions, newest first" }), el("ul", { class: "sessions" }, ...h.sessions.slice(0, 30).map(sessionLine)));
    else parts.push(el("p", { textContent: "No tests yet. Run a test under Assess; it will show here." }));
    box.replaceChildren(...parts);
  } catch (e) { box.replaceChildren(el("p", { class: "warning", textContent: `Could not load the history: ${e.message}` })); }
  try {
    const formats = await api("/api/report/available");
    $("#report-pdf").hidden = !formats.pdf;
  } catch { $("#report-pdf").hidden = true; }
}
onScreen("history", loadHistory);
