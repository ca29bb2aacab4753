// The person's records: who is using the page, history, the plan for today, the red-flag
// questions, downloads, and the instructions shown before each test and exercise.

export const $ = (sel) => document.querySelector(sel);
export const fmt = (v, d = 1) => (v === null || v === undefined ? "—" : Number(v).toFixed(d));
// three significant digits: a tremor amplitude of 0.023 stays 0.023, a score of 92.04 becomes 92
const num = (v) => (v === null || v === undefined ? "—" : String(Number(Number(v).toPrecision(3))));
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k.startsWith("data-") || k.startsWith("aria-")) node.setAttribute(k, v); else node[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}
function say(text) { $("#status").textContent = text; }
const svgImage = (svg, alt) => el("img", { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt });
const day = (iso) => new Date(iso.length <= 10 ? `${iso}T12:00:00` : iso).toLocaleDateString();
const FOOT = { left: "left foot", right: "right foot", both: "both feet" };
const footWord = (f) => FOOT[f] || "";

export async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message || data.detail || `the server answered ${response.status}`);
  return data;
}

function table(caption, headers, rows) {
  return el("div", { class: "table-wrap" }, el("table", { class: "figures" },
    el("caption", { textContent: caption }),
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { textContent: h, scope: "col" })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c, i) => (i === 0 ? el("th", { textContent: c, scope: "row" }) : el("td", { textContent: c }))))))));
}

// ---- who is using the page -----------------------------------------------------------
const listeners = [];
export function onPersonChange(callback) { listeners.push(callback); }
const ROLE = { clinician: "clinician", patient: "patient", admin: "administrator" };
function showPeople(answer) {
  const select = $("#person");
  const options = answer.people.map((p) => el("option", { value: String(p.id), textContent: p.display_name }));
  // a clinician chooses which patient's records the page works on
  if (answer.current === null) options.unshift(el("option", { value: "", textContent: "Choose a patient", disabled: true }));
  select.replaceChildren(...options);
  select.value = answer.current === null ? "" : String(answer.current);
  const account = answer.account;
  $("#person-add-box").hidden = !answer.can_add;
  $("#account").hidden = !account;
  if (account) {
    $("#account-name").textContent = `Signed in as ${account.username} (${ROLE[account.role] || account.role})`;
    $("#person-word").textContent = account.role === "clinician" ? "Patient" : "Records for";
    // a patient works on their own records only; an administrator on no one's
    $("#person-label").hidden = account.role !== "clinician";
    if (account.role === "clinician" && answer.current === null) say("Choose a patient to work on their records.");
  }
}
export async function loadPeople() {
  try { showPeople(await api("/api/people")); } catch (e) { $("#person-box").hidden = true; }
}
$("#person").addEventListener("change", async (e) => {
  try {
    showPeople(await api("/api/people/choose", { id: Number(e.target.value) }));
  } catch (err) { say(`Could not choose: ${err.message}`); return; }
  say(`Now keeping records for ${e.target.selectedOptions[0].textContent}.`);
  for (const callback of listeners) callback();
});
$("#sign-out").addEventListener("click", async () => {
  try { await api("/api/logout", {}); } catch (err) { /* already signed out: the sign-in page either way */ }
  location.assign("/login");
});
$("#person-add").addEventListener("submit", async (e) => {
  e.preventDefault();
  const name = $("#person-name").value.trim();
  if (!name) return;
  try {
    showPeople(await api("/api/people", { display_name: name, diabetes: $("#person-diabetes").checked }));
    $("#person-name").value = ""; $("#person-diabetes").checked = false;
    $("#person-add").closest("details").open = false;
    say(`${name} added; records now go to ${name}.`);
    for (const callback of listeners) callback();
  } catch (err) { say(`Could not add: ${err.message}`); }
});

// ---- instructions before a step ------------------------------------------------------
const guides = new Map();
export async function guideFor(kind, id) {
  const key = `${kind}/${id}`;
  if (!guides.has(key)) guides.set(key, await api(`/api/guidance/${key}`));
  return guides.get(key);
}
export function renderSheet(sheet) {
  const box = el("div", { class: "sheet", "data-sheet": sheet.id });
  box.append(el("p", { class: "purpose", textContent: sheet.purpose }));
  if (sheet.diagram_svg) {
    box.append(el("figure", { class: "diagram" }, svgImage(sheet.diagram_svg, `Where the phone goes for ${sheet.name}`),
      el("figcaption", { textContent: "Where the phone goes" })));
  }
  for (const section of sheet.sections) {
    box.append(el("h4", { textContent: section.title }), el("ul", {}, ...section.lines.map((l) => el("li", { textContent: l }))));
  }
  if (sheet.sources.length) box.append(el("p", { class: "hint", textContent: `Sources: ${sheet.sources.join("; ")}` }));
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
  if (test.task === "tremor") {
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

// ---- results: do's and don'ts --------------------------------------------------------
const CARD_KIND = { do: "Do", dont: "Don't", plan: "Practise", see: "See someone" };
export function renderCards(cards) {
  if (!cards || !cards.length) return null;
  return el("div", { class: "tips" }, el("h4", { textContent: "What you can do" }),
    ...cards.map((c) => el("div", { class: `tip tip-${c.kind}`, "data-card": c.id },
      el("strong", { textContent: `${CARD_KIND[c.kind] || c.kind}: ${c.title}` }),
      el("p", { textContent: c.text }), el("p", { class: "hint", textContent: `Why: ${c.reason}` }))));
}

// ---- history -------------------------------------------------------------------------
function flagBoxes(flags) {
  return flags.map((f) => el("div", { class: "note flag-box", "data-flag": f.id },
    el("strong", { textContent: f.title }), el("p", { textContent: f.advice }),
    el("p", {}, el("strong", { textContent: "See: " }), `${f.see}, ${f.when}.`),
    f.reason ? el("p", { class: "hint", textContent: `Because: ${f.reason}` }) : null));
}
function sessionLine(s) {
  const what = s.trials.map((t) => {
    const name = t.task === "exercise" ? (t.exercise_id || "exercise").replaceAll("_", " ") : t.task;
    const main = t.figures.find((f) => f.toe === null);
    const withheld = (t.not_measured || []).join("; ");
    return `${name}${t.condition ? ` (${t.condition})` : ""}${main ? `: ${main.label} ${num(main.value)} ${main.unit}`.trimEnd() : ""}${withheld ? `: ${withheld}` : ""}`;
  }).join("; ");
  const context = s.context.length ? ` — ${s.context.join(", ")}` : "";
  return el("li", { "data-session": String(s.id), "data-kind": s.kind },
    el("strong", { textContent: `${new Date(s.started_at).toLocaleString()} ` }), `${s.kind}${s.status !== "complete" ? ` (${s.status})` : ""}: ${what}${context}`);
}
export async function loadHistory() {
  const box = $("#history-body");
  try {
    const h = await api("/api/history");
    const parts = [el("p", { class: "lead", textContent: `Records of ${h.person.display_name}: ${h.sessions.length} session(s).` })];
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
        h.tremor.timeline.map((r) => [new Date(r.when).toLocaleString(), footWord(r.foot), r.condition || "—",
          r.frequency_hz === null ? "no steady rhythm" : `${fmt(r.frequency_hz)} Hz`, `${num(r.amplitude)} ${r.amplitude_unit}`.trim(), r.context.join(", ") || "—"])));
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

// ---- the plan for today --------------------------------------------------------------
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
    p.log.slice(0, 10).map((e) => [day(e.day), e.exercise_id.replaceAll("_", " "), e.reps ?? "—", e.minutes ?? "—", e.pain ?? "—"])) : null;
  box.replaceChildren(...[el("h3", { textContent: `Today, ${day(p.today)}` }), today,
    el("h3", { textContent: "How regularly you practised" }), adherence || el("p", { textContent: "No full week yet." }),
    log, el("details", {}, el("summary", { textContent: "Change the plan" }), planChooser(p))].filter(Boolean));
}
export async function loadPlan() {
  try { renderPlan(await api("/api/plan")); } catch (e) { $("#plan-body").replaceChildren(el("p", { class: "warning", textContent: `Could not load the plan: ${e.message}` })); }
}

// ---- red flags -----------------------------------------------------------------------
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
$("#flags-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const answers = {};
  for (const input of e.target.querySelectorAll("input[type=radio]:checked")) answers[input.name] = input.value === "yes";
  try { showAdvice((await api("/api/red-flags", { answers })).flags); say("Answers kept."); $("#flags-advice").focus(); } catch (err) { say(err.message); }
});
