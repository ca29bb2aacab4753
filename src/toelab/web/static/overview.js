// A clinician's patients at a glance: last session, this week's practice, where toe control
// and big-toe extension are heading, open warning signs and pain; and a patient's page with
// notes to the patient.
import { $, api, el, say, table } from "./dom.js";
import { checkinTable, painAdvice } from "./checkin.js";
import { loadPeople } from "./people.js";
import { show, onScreen } from "./screens.js";

const PAIN = { up: "↑ rising", down: "↓ easing", flat: "→ steady", unknown: "? too few check-ins" };
const arrows = (list) => (list.length ? list.map((t) => `${t.foot ? `${t.foot[0].toUpperCase()} ` : ""}${t.arrow}`).join(" ") : "—");

async function patientPage(p) {
  const box = $("#patient-page");
  try { await api("/api/people/choose", { id: p.id }); } catch (err) { say(err.message); return; }
  await loadPeople(); // the page's Patient list names whom it works on now
  const [notes, felt] = await Promise.all([api(`/api/notes?person_id=${p.id}`), api(`/api/checkins?person_id=${p.id}`)]);
  const text = el("textarea", { id: "note-text", rows: 3, maxLength: 2000 });
  const form = el("form", { id: "note-form" }, el("label", { class: "block" }, "A note to the patient (shown at their next visit)", el("br"), text),
    el("button", { class: "primary", type: "submit", textContent: "Leave the note" }));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    try { await api(`/api/notes?person_id=${p.id}`, { text: text.value }); say("Note kept; the patient sees it at their next visit."); patientPage(p); } catch (err) { say(err.message); }
  });
  box.replaceChildren(el("h3", { textContent: p.display_name }),
    el("p", { class: "row" }, el("button", { type: "button", textContent: "History", onclick: () => show("history") }),
      el("button", { type: "button", textContent: "Plan and levels", onclick: () => show("plan") })),
    form,
    notes.notes.length ? el("ul", { class: "notes" }, ...notes.notes.map((n) => el("li", { textContent: `${new Date(n.created_at).toLocaleDateString()}: ${n.text} (${n.seen ? "read" : "not read yet"})` }))) : null,
    painAdvice(felt.pain), felt.checkins.length ? checkinTable(felt.checkins) : el("p", { textContent: "No check-ins yet." }));
  box.hidden = false;
  box.focus();
}

export async function loadOverview() {
  const box = $("#overview-body");
  try {
    const answer = await api("/api/clinic/overview");
    if (!answer.patients.length) { box.replaceChildren(el("p", { textContent: "No patients are assigned to you yet." })); return; }
    const wrap = table("Your patients", ["Patient", "Last session", "Practice this week", "Toe control", "Big-toe extension", "Warning signs", "Pain"],
      answer.patients.map((p) => [p.display_name, p.last_session ? new Date(p.last_session).toLocaleDateString() : "none yet",
        p.adherence_this_week === null ? "no plan" : `${Math.round(100 * p.adherence_this_week)} %`,
        arrows(p.trends.toe_control), arrows(p.trends.big_toe_extension),
        p.flags.length ? p.flags.map((f) => f.title).join("; ") : "none", p.pain ? PAIN[p.pain.direction] : "no check-ins"]));
    // each patient's name opens their page
    wrap.querySelectorAll("tbody th").forEach((cell, i) => {
      const p = answer.patients[i];
      cell.replaceChildren(el("button", { type: "button", class: "link", "data-patient": String(p.id), textContent: p.display_name, onclick: () => patientPage(p) }));
    });
    box.replaceChildren(wrap);
  } catch (e) { box.replaceChildren(el("p", { class: "warning", textContent: `Could not load your patients: ${e.message}` })); }
}
onScreen("overview", loadOverview);

// the screen exists for clinicians only
api("/api/people").then((people) => {
  if (people.account?.role === "clinician") $("#overview-tab").hidden = false;
}).catch(() => {});
