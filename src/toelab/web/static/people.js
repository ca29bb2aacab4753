// Who the page keeps records for: the household's people, or a clinician's patients, and
// the account signed in (clinic mode).
import { $, api, el, say } from "./dom.js";

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
