// Spoken cues with the browser's own speech (window.speechSynthesis; nothing leaves the
// computer): one queue, so cues follow each other in order and none cuts another off, in the
// page's language, with an on/off switch and a volume kept under the metronome's clicks.
import { $, el } from "./dom.js";
import { beat } from "./session.js";

// the voice's share of the chosen volume while the metronome clicks or a song plays, so the
// beat stays the loudest thing heard (the clicks peak at 0.6 of full scale, metronome.js)
const UNDER_METRONOME = 0.5;
// a cue whose end the browser never reports (no voice installed) frees the queue after this
const MS_PER_CHARACTER = 90;
const SLACK_MS = 1500;

class Speaker {
  constructor() {
    this.on = localStorage.getItem("toelab.speech") !== "off";
    this.volume = Number(localStorage.getItem("toelab.speechVolume") ?? 0.8);
    this.queue = [];
    this.current = null;
    this.said = []; // every cue spoken, in order (the page's own record, for the tests)
  }

  get available() { return "speechSynthesis" in window && "SpeechSynthesisUtterance" in window; }

  // `now`: drop what is still waiting (a new step makes the old cues stale)
  say(text, { now = false } = {}) {
    if (!this.on || !this.available || !text) return;
    if (now) this.clear();
    this.queue.push(text);
    this.next();
  }

  // resolves once every queued cue has been said (at most `maxMs` later)
  idle(maxMs = 4000) {
    const end = performance.now() + maxMs;
    return new Promise((resolve) => {
      const wait = () => (!this.current && !this.queue.length) || performance.now() > end ? resolve() : setTimeout(wait, 50);
      wait();
    });
  }

  clear() {
    this.queue = [];
    if (this.current) { this.current = null; window.speechSynthesis.cancel(); }
  }

  next() {
    if (this.current || !this.queue.length) return;
    const text = this.queue.shift();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang || navigator.language;
    utterance.volume = this.volume * (beat.timer || beat.source ? UNDER_METRONOME : 1);
    utterance.rate = 1.05;
    const done = () => {
      if (this.current !== utterance) return;
      clearTimeout(this.timer);
      this.current = null;
      this.next();
    };
    utterance.onend = done;
    utterance.onerror = done;
    this.current = utterance;
    this.timer = setTimeout(done, SLACK_MS + MS_PER_CHARACTER * text.length);
    this.said.push(text);
    window.speechSynthesis.speak(utterance);
  }

  setOn(on) {
    this.on = on;
    localStorage.setItem("toelab.speech", on ? "on" : "off");
    if (!on) this.clear();
  }

  setVolume(volume) {
    this.volume = volume;
    localStorage.setItem("toelab.speechVolume", String(volume));
  }
}
export const speaker = new Speaker();
export const cue = (text, options) => speaker.say(text, options);

// the switch and the volume, once on the page (under the status line, on every screen)
function controls() {
  const toggle = el("input", { type: "checkbox", id: "speech-on", checked: speaker.on });
  const volume = el("input", { type: "range", id: "speech-volume", min: "0", max: "1", step: "0.1",
    value: String(speaker.volume), "aria-label": "Volume of the spoken cues" });
  toggle.addEventListener("change", () => { speaker.setOn(toggle.checked); volume.disabled = !toggle.checked; });
  volume.addEventListener("change", () => { speaker.setVolume(Number(volume.value)); speaker.say("This loud."); });
  volume.disabled = !speaker.on;
  const box = el("div", { id: "speech-box", class: "row speech" },
    el("label", {}, toggle, " Spoken cues"), el("label", {}, "Volume ", volume));
  if (!speaker.available) {
    toggle.disabled = true; volume.disabled = true;
    box.append(el("span", { class: "hint", textContent: "This browser cannot speak." }));
  }
  $("#status").after(box);
}
controls();
window.toelab.speaker = speaker;
