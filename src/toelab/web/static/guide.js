// The instructions shown before each test and exercise (with the tremor test's questions),
// and the do's and don'ts that come with a result.
import { $, api, el, svgImage } from "./dom.js";

const guides = new Map();
export async function guideFor(kind, id) {
  const key = `${kind}/${id}`;
  if (!guides.has(key)) guides.set(key, await api(`/api/guidance/${key}`));
  return guides.get(key);
}
// `level`: the heading level of its sections
export function renderSheet(sheet, level = 4) {
  const box = el("div", { class: "sheet", "data-sheet": sheet.id });
  box.append(el("p", { class: "purpose", textContent: sheet.purpose }));
  if (sheet.diagram_svg) {
    box.append(el("figure", { class: "diagram" }, svgImage(sheet.diagram_svg, `Where the phone goes for ${sheet.name}`),
      el("figcaption", { textContent: "Where the phone goes" })));
  }
  // the short version: for a test its set-up (each step is said when it comes), for an
  // exercise what to do; the rest behind "More"
  const key = sheet.kind === "exercise" ? "What to do" : "Set-up";
  const section = (s) => [el(`h${level}`, { textContent: s.title }), el("ul", {}, ...s.lines.map((l) => el("li", { textContent: l })))];
  const main = sheet.sections.find((s) => s.title === key) ?? sheet.sections[0];
  if (main) box.append(...section(main));
  const rest = sheet.sections.filter((s) => s !== main);
  if (rest.length || sheet.sources.length) {
    const more = el("details", { class: "more" }, el("summary", { textContent: `More: ${rest.map((s) => s.title.toLowerCase()).join(", ")}` }));
    for (const s of rest) more.append(...section(s));
    if (sheet.sources.length) more.append(el("p", { class: "hint", textContent: `Sources: ${sheet.sources.join("; ")}` }));
    box.append(more);
  }
  return box;
}

let contextQuestions = null;
function contextForm(questions) {
  const form = el("fieldset", { class: "context" }, el("legend", { textContent: "Before the tremor test: a few questions" }),
    el("p", { class: "hint", textContent: "They are kept with the test, so you can see later what goes with stronger shaking. The test itself notes whether the foot rests, holds or moves." }));
  for (const q of questions) {
    if (q.id === "condition") continue;
    if (!q.choices.length) {
      form.append(el("label", { class: "block" }, q.text, el("input", { type: "text", name: q.id, maxLength: 500 })));
      continue;
    }
    const group = el("fieldset", { class: "choices" }, el("legend", { textContent: q.text }));
    for (const choice of q.choices) {
      group.append(el("label", {}, el("input", { type: "radio", name: q.id, value: choice }), ` ${choice}`));
    }
    form.append(group);
  }
  return form;
}
function contextAnswers(form) {
  const out = {};
  for (const q of contextQuestions) {
    if (q.id === "condition") continue;
    if (!q.choices.length) { out[q.id] = form.querySelector(`[name="${q.id}"]`).value.trim(); continue; }
    const picked = form.querySelector(`[name="${q.id}"]:checked`);
    if (!picked) continue;
    out[q.id] = q.choices.join() === "yes,no" ? picked.value === "yes" : picked.value;
  }
  return out;
}

// Shows a test's instructions; resolves with the tremor context (or null) when the person is ready.
export async function showGuide(test) {
  const sheet = await guideFor("test", test.id);
  const panel = $("#guide");
  const body = [el("h3", { textContent: `Before you start: ${test.name}` }), renderSheet(sheet)];
  let form = null;
  if (test.page.asks_context) {
    contextQuestions ??= (await api("/api/tremor-context")).questions;
    const now = new Date().getHours();
    form = contextForm(contextQuestions);
    const part = now >= 5 && now < 12 ? "morning" : now < 17 && now >= 12 ? "afternoon" : now < 22 && now >= 17 ? "evening" : "night";
    const radio = form.querySelector(`[name="part_of_day"][value="${part}"]`);
    if (radio) radio.checked = true;
    body.push(form);
  }
  const ready = el("button", { class: "primary", id: "guide-start", textContent: "I am ready — start" });
  const back = el("button", { id: "guide-cancel", textContent: "Not now" });
  panel.replaceChildren(...body, el("div", { class: "row" }, ready, back));
  panel.hidden = false;
  panel.querySelector("h3").tabIndex = -1;
  panel.querySelector("h3").focus();
  return new Promise((resolve, reject) => {
    ready.onclick = () => { panel.hidden = true; resolve({ sheet, context: form ? contextAnswers(form) : null }); };
    back.onclick = () => { panel.hidden = true; reject(new Error("stopped")); };
  });
}

const CARD_KIND = { do: "Do", dont: "Don't", plan: "Practise", see: "See someone" };
export function renderCards(cards, level = 4) {
  if (!cards || !cards.length) return null;
  return el("div", { class: "tips" }, el(`h${level}`, { textContent: "What you can do" }),
    ...cards.map((c) => el("div", { class: `tip tip-${c.kind}`, "data-card": c.id },
      el("strong", { textContent: `${CARD_KIND[c.kind] || c.kind}: ${c.title}` }),
      el("p", { textContent: c.text }), el("p", { class: "hint", textContent: `Why: ${c.reason}` }))));
}
