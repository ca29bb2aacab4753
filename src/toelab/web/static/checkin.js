// After each kept session: how much it hurt (0–10), where, and how hard it felt (0–10).
// The check-ins show in History with what the pain trend says, and the notes a clinician
// left show at the next visit.
import { $, api, el, say, table } from "./dom.js";
import { onPersonChange } from "./people.js";
import { onScreen } from "./screens.js";
import { link, onLiveMessage } from "./session.js";

const AREAS = [["big_toe", "Big toe"], ["small_toes", "Other toes"], ["ball_of_foot", "Ball of the foot"], ["arch", "Arch"],
  ["heel", "Heel"], ["ankle", "Ankle"], ["calf", "Calf"], ["elsewhere", "Elsewhere"]];

function scale(id, legend, low, high) {
  const input = el("input", { type: "range", id, min: 0, max: 10, step: 1, value: 0, "aria-describedby": `${id}-value` });
  const out = el("output", { id: `${id}-value`, textContent: "0" });
  input.addEventListener("input", () => { out.textContent = input.value; });
  return el("label", { class: "block scale" }, `${legend} `, el("span", { class: "hint", textContent: `0 ${low} – 10 ${high}` }), el("br"), input, " ", out);
}

// The check-in form; `sessionId`: the session it is about (null: practice logged by hand)
export function checkinForm(sessionId, onDone) {
  const where = el("fieldset", { class: "choices" }, el("legend", { textContent: "Where did it hurt?" }),
    ...AREAS.map(([id, text]) => el("label", {}, el("input", { type: "checkbox", name: "area", value: id }), ` ${text}`)));
  const form = el("form", { class: "card checkin", "aria-label": "How did it feel?" },
    el("h3", { textContent: "How did it feel?" }),
    scale("checkin-pain", "Pain", "none", "worst imaginable"), where,
    scale("checkin-effort", "How hard it was", "no effort", "the hardest possible"),
    el("label", { class: "block" }, "Anything else (optional) ", el("input", { id: "checkin-note", maxLength: 2000, autocomplete: "off" })),
    el("p", { class: "row" }, el("button", { class: "primary", type: "submit", textContent: "Keep" }),
      el("button", { type: "button", textContent: "Not now", onclick: () => { form.remove(); onDone?.(null); } })));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const pain = Number(form.querySelector("#checkin-pain").value);
    const areas = pain ? [...form.querySelectorAll("[name=area]:checked")].map((i) => i.value) : [];
    try {
      const answer = await api("/api/checkins", { pain, effort: Number(form.querySelector("#checkin-effort").value), areas,
        session_id: sessionId, note: form.querySelector("#checkin-note").value });
      form.replaceWith(el("p", { class: "good", textContent: "Thank you — kept in your history." }));
      const advice = answer.pain?.advice;
      say(advice || "Check-in kept.");
      onDone?.(answer);
    } catch (err) { say(`Could not keep the check-in: ${err.message}`); }
  });
  return form;
}

// a run kept in the records (its last step): ask how it felt — on the big screen when a
// phone films for one (pairing.js), not on the phone on the floor
onLiveMessage((message) => {
  if (message.type !== "summary" || !message.stored || message.extra?.last === false) return;
  if (link.query && !message.mirrored) return;
  const box = $("#checkin-box");
  box.replaceChildren(checkinForm(message.stored.session_id, () => { setTimeout(() => box.replaceChildren(), 4000); }));
  // after the results just shown, so the figures stay on the first screen of a phone
  const results = document.querySelector(".screen:not([hidden]) :is(#assess-results, #train-results, #pair-results, #music-live)");
  if (results) results.after(box);
  box.hidden = false;
});

// practice logged by hand (no camera): ask too, about no session in particular
$("#manual-log").addEventListener("click", () => {
  const box = $("#checkin-box");
  $("#manual-log").closest("form, section, div")?.after(box);
  box.replaceChildren(checkinForm(null, () => { setTimeout(() => box.replaceChildren(), 4000); }));
  box.hidden = false;
});

export function painAdvice(pain) {
  if (!pain || !pain.advice) return null;
  return el("div", { class: "note", "data-pain": pain.level }, el("strong", { textContent: "Pain over your sessions" }), el("p", { textContent: pain.advice }),
    el("p", { class: "hint", textContent: `Because: ${pain.reason}.` }));
}

export function checkinTable(items) {
  return table("Pain and effort after each session", ["When", "Pain (0–10)", "Where", "Effort (0–10)", "Note"],
    items.slice(0, 20).map((c) => [new Date(c.at).toLocaleString(), String(c.pain), c.where, String(c.effort), c.note || "—"]));
}

async function loadCheckins() {
  const box = $("#checkin-history");
  try {
    const answer = await api("/api/checkins");
    const ask = el("details", {}, el("summary", { textContent: "How did today's practice feel?" }), checkinForm(null, loadCheckins));
    box.replaceChildren(el("h3", { textContent: "How the sessions felt" }), ...[painAdvice(answer.pain),
      answer.checkins.length ? checkinTable(answer.checkins) : el("p", { textContent: "No check-ins yet: after each session toelab asks how it felt." }), ask].filter(Boolean));
  } catch (e) { box.replaceChildren(); }
}
onScreen("history", loadCheckins);

// notes the clinician left: shown until the person says they have read them
async function loadNotes() {
  const box = $("#notes-box");
  let answer;
  try { answer = await api("/api/notes"); } catch { box.hidden = true; return; }
  const people = await api("/api/people").catch(() => ({}));
  const fresh = answer.notes.filter((n) => !n.seen);
  if (!fresh.length || people.account?.role === "clinician") { box.hidden = true; return; }
  box.replaceChildren(el("h2", { textContent: "A note from your clinician" }),
    ...fresh.map((n) => el("blockquote", { "data-note": String(n.id) }, el("p", { textContent: n.text }),
      el("footer", { class: "hint", textContent: `${n.author}, ${new Date(n.created_at).toLocaleDateString()}` }))),
    el("button", { type: "button", textContent: "Got it", onclick: async () => {
      try { await api("/api/notes/seen", { ids: fresh.map((n) => n.id) }); box.hidden = true; } catch (err) { say(err.message); }
    } }));
  box.hidden = false;
}
onPersonChange(loadNotes);
loadNotes();
