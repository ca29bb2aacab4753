// toelab's page: loads the words and the protocols, then each screen's module takes over.
import "./calibration.js";
import "./checkin.js";
import "./overview.js";
import "./pairing.js";
import "./progression.js";
import "./flags.js";
import "./history.js";
import "./install.js";
import "./reminders.js";
import "./speech.js";
import "./music.js";
import "./plan.js";
import { showTests } from "./assess.js";
import { $, el, say } from "./dom.js";
import { loadPeople, onPersonChange } from "./people.js";
import { loadResults } from "./results.js";
import { currentScreen, show } from "./screens.js";
import { link, state } from "./session.js";
import { showExercises } from "./train.js";
import { loadVocabulary } from "./vocabulary.js";

async function init() {
  if (!window.isSecureContext) $("#https-note").hidden = false;
  await loadVocabulary();
  state.protocols = await (await fetch("/api/protocols")).json();
  showTests(state.protocols.battery);
  showExercises(state.protocols.exercises);
  $("#red-flags ul").replaceChildren(...state.protocols.red_flags.map((f) => el("li", {},
    el("strong", { textContent: f.title }), ` — ${f.advice} See: ${f.see}, ${f.when}.`)));
  loadResults();
  await loadPeople();
  onPersonChange(() => {
    // the live link belongs to the person chosen when it opened
    if (link.ws) link.ws.close();
    link.ws = null;
    const screen = currentScreen();
    if (screen) show(screen);
  });
  document.body.dataset.ready = "1";
}
init().catch((e) => say(`toelab could not load: ${e.message}`));
