// Two screens: this page shows a code (and its QR code) that a phone enters to join; the
// phone films the feet and every message of its live run shows here too — the bars, the cue,
// the results. A code works once and for a few minutes.
import { csrfToken } from "./csrf.js";
import { $, api, el, say, svgImage } from "./dom.js";
import { clearLive, liveView } from "./bars.js";
import { renderSummary } from "./results.js";
import { link, state } from "./session.js";
import { toeName } from "./vocabulary.js";

const pairing = { ws: null };

function cueOf(message) {
  for (const data of Object.values(message.feet || {})) {
    const live = data.live;
    if (!live) continue;
    if (live.followers.length) {
      const names = live.followers.map(toeName);
      return `${names.join(" and ")} ${names.length > 1 ? "follow — keep them" : "follows — keep it"} down.`;
    }
    if (live.isolated) return "Good — on its own.";
  }
  return null;
}

// the big screen: the phone's messages, shown as this page shows its own runs
function watched(message) {
  const box = $("#pair-live");
  if (message.type === "paired") { $("#pair-state").textContent = "Phone connected: start the exercise on the phone."; $("#pair-code-box").hidden = true; return; }
  if (message.type === "state" && message.feet) {
    if (!state.liveTarget || state.liveTarget.container !== box) {
      liveView(box, Object.keys(message.feet));
      $("#pair-results").replaceChildren();
      state.liveTarget = { container: box, onState: (m) => {
        const cue = cueOf(m);
        if (cue) $("#pair-cue").textContent = cue;
        const live = Object.values(m.feet)[0]?.live;
        if (live) $("#pair-reps").textContent = `Reps ${live.reps}, clean ${live.clean_reps}`;
      } };
    }
  }
  link.onMessage({ ...message, mirrored: true });
  if (message.type === "summary") {
    $("#pair-results").replaceChildren(renderSummary(message, { level: 3 }));
    if (state.liveTarget?.container === box) state.liveTarget = null;
    clearLive(box); // the bars belong to the run, not to its figures
    $("#pair-cue").textContent = "";
  }
}

async function showCode() {
  let answer;
  try { answer = await api("/api/pair", {}); } catch (err) { say(`No code: ${err.message}`); return; }
  if (pairing.ws) pairing.ws.close();
  $("#pair-code").textContent = answer.code;
  $("#pair-qr").replaceChildren(svgImage(answer.qr_svg, `QR code of ${answer.url}`));
  $("#pair-code-box").hidden = false;
  $("#pair-join").hidden = true; // this is the big screen
  $("#pair-state").textContent = `Waiting for the phone. The code works once, for ${Math.round(answer.expires_in_s / 60)} minutes.`;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/ws/pair?code=${answer.code}&csrf=${encodeURIComponent(csrfToken())}`);
  ws.onmessage = (event) => watched(JSON.parse(event.data));
  ws.onclose = () => { if (pairing.ws === ws) $("#pair-state").textContent = "The link to the phone closed. Show a new code to pair again."; };
  pairing.ws = ws;
}

// the phone: enter the code; its camera connection then names the big screen's room
async function join(code) {
  try {
    const answer = await api("/api/pair/join", { code });
    link.query = `&pair=${encodeURIComponent(answer.room)}`;
    if (link.ws) link.ws.close();
    link.ws = null;
    await link.open();
    $("#pair-show").hidden = true; // this is the phone
    $("#pair-joined").textContent = "Joined the big screen. Set up the camera and train here; the big screen shows the bars and the results.";
    say("Joined the big screen.");
  } catch (err) {
    $("#pair-joined").textContent = `Could not join: ${err.message}`;
    say(`Could not join: ${err.message}`);
  }
}

$("#pair-show").addEventListener("click", showCode);
$("#pair-join").addEventListener("submit", (e) => { e.preventDefault(); join($("#pair-input").value.trim()); });
// a phone that scanned the QR code opens the page with ?pair=<code>
const given = new URLSearchParams(location.search).get("pair");
if (given) {
  $("#pair-box").open = true;
  $("#pair-input").value = given;
  history.replaceState(null, "", location.pathname);
  join(given);
}
