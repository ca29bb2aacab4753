// Musical toes: lift the toes with a metronome or the person's own song; each lift is
// timed against the heard beat. The timing check measures the sound's delay from taps.
import { $, fmt, say, sleep } from "./dom.js";
import { liveView } from "./bars.js";
import { tapOffsetMs } from "./metronome.js";
import { BeatPulse } from "./pulse.js";
import { renderSummary } from "./results.js";
import { show } from "./screens.js";
import { STEP_S, beat, link, liveFeet, needPoints, state } from "./session.js";

const music = { song: null, songBeats: null, hits: 0, lifts: 0 };
const pulse = new BeatPulse($("#music-beat"), beat);
function setBpm(v) { $("#bpm").value = v; $("#bpm-value").textContent = String(v); }
$("#bpm").addEventListener("input", (e) => setBpm(e.target.value));
for (const b of document.querySelectorAll("[data-bpm]")) b.addEventListener("click", () => setBpm(b.dataset.bpm));

$("#song").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (!file) { music.song = null; return; }
  $("#song-msg").textContent = "Finding the beat of your song…";
  try {
    const ctx = await beat.audio();
    const form = new FormData(); form.append("song", file);
    const [answer, buffer] = await Promise.all([
      fetch("/api/beats", { method: "POST", body: form }).then((r) => r.json()),
      file.arrayBuffer().then((b) => ctx.decodeAudioData(b)),
    ]);
    if (!answer.beat_times_s || answer.beat_times_s.length < 4) throw new Error(answer.message || "no clear beat found");
    music.song = buffer; music.songBeats = answer.beat_times_s;
    $("#song-msg").textContent = `Song ready: about ${fmt(answer.tempo_bpm, 0)} beats per minute. Start plays it.`;
  } catch (err) { music.song = null; $("#song-msg").textContent = `Could not use the song: ${err.message}`; }
});

$("#music-start").addEventListener("click", async () => {
  if (!needPoints()) return;
  if (state.view !== "front") { say("Musical toes needs the camera in front of the toes."); show("calibrate"); return; }
  const toes = $("#music-toes").value.split(",").map(Number);
  const seconds = STEP_S ?? Number($("#music-length").value);
  const bpm = Number($("#bpm").value);
  music.hits = 0; music.lifts = 0;
  liveView($("#music-live"), liveFeet());
  $("#music-results").replaceChildren();
  state.liveTarget = {
    container: $("#music-live"),
    onState: (m) => {
      for (const data of Object.values(m.feet)) {
        const rep = data.rep;
        if (!rep) continue;
        music.lifts += 1;
        const a = rep.asynchrony_ms;
        if (a === null || a === undefined) { $("#music-cue").textContent = "Between beats — wait for the click."; continue; }
        music.hits += 1;
        $("#music-cue").textContent = Math.abs(a) <= 60 ? `On the beat (${fmt(a, 0)} ms) — hits ${music.hits}`
          : `${fmt(Math.abs(a), 0)} ms ${a < 0 ? "early" : "late"} — hits ${music.hits}`;
      }
    },
  };
  try {
    const beats = music.song ? await beat.song(music.song, music.songBeats, seconds) : await beat.metronome(bpm, seconds, $("#accent").checked ? 4 : 0);
    state.music = { beats, seconds };
    pulse.start(beats.audio, music.song || !$("#accent").checked ? 0 : 4);
    await link.start({ task: "rhythm", points: state.points, target: toes, beat_times_s: beats.page_s,
      label: `Musical toes: ${toes.length === 1 ? "big toe" : "the other four"}, ${music.song ? "own song" : `${bpm} beats per minute`}`,
      extra: { bpm: music.song ? null : bpm, song: Boolean(music.song), output_delay_ms: beat.outputDelayS() * 1000, tap_offset_ms: beat.tapOffsetMs } });
    $("#music-start").disabled = true; $("#music-stop").disabled = false;
    $("#screen-music").classList.add("running"); // the beat and the bars above the settings
    const end = performance.now() + (seconds + 0.8) * 1000;
    while (performance.now() < end && link.streaming) await sleep(100);
    if (link.streaming) await finishMusic();
  } catch (e) { say(`Musical toes could not run: ${e.message}`); beat.stop(); pulse.stop(); $("#screen-music").classList.remove("running"); }
});
async function finishMusic() {
  beat.stop(); pulse.stop();
  $("#music-stop").disabled = true;
  try {
    const record = await link.stop(true);
    $("#music-results").replaceChildren(renderSummary(record, { level: 3 }));
  } catch (e) { say(`Could not finish: ${e.message}`); }
  $("#music-start").disabled = false; state.liveTarget = null;
  $("#screen-music").classList.remove("running");
}
$("#music-stop").addEventListener("click", finishMusic);

const tap = { taps: [], clicks: [] };
$("#tap-start").addEventListener("click", async () => {
  beat.setTapOffset(0);
  tap.taps = [];
  const run = await beat.metronome(100, 8 * 0.6, 0);
  tap.clicks = run.page_s.map((s) => s * 1000);
  $("#tap-msg").textContent = "Tap with each click…";
  await sleep(8 * 600 + 1200);
  const offset = tapOffsetMs(tap.taps, tap.clicks);
  if (offset === null) { $("#tap-msg").textContent = "Too few taps near the clicks — try again."; return; }
  // people tap slightly before the click; only a delay (a later tap) is taken as sound delay
  beat.setTapOffset(Math.max(0, offset));
  $("#tap-msg").textContent = `Your taps were ${fmt(Math.abs(offset), 0)} ms ${offset < 0 ? "before" : "after"} the clicks; toelab now allows ${fmt(beat.tapOffsetMs, 0)} ms of extra sound delay.`;
});
function addTap() { tap.taps.push(performance.now()); }
$("#tap").addEventListener("click", addTap);
document.addEventListener("keydown", (e) => {
  if (e.code === "Space" && !$("#screen-music").hidden && e.target.tagName !== "BUTTON" && e.target.tagName !== "INPUT") { e.preventDefault(); addTap(); }
});
