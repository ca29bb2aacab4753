// A metronome scheduled ahead on the audio clock, a song player, and the mapping of audio
// time to the page clock (where the camera's capture times live).
const LOOKAHEAD_S = 0.12;
const TICK_MS = 25;

export class Beat {
  constructor() {
    this.ctx = null;
    this.timer = null;
    this.source = null;
    this.tapOffsetMs = Number(localStorage.getItem("toelab.tapOffsetMs") || 0);
  }

  async audio() {
    if (!this.ctx) this.ctx = new AudioContext({ latencyHint: "interactive" });
    if (this.ctx.state !== "running") await this.ctx.resume();
    return this.ctx;
  }

  // Output delay the browser knows of (seconds): what the audio hardware adds after scheduling.
  outputDelayS() {
    const ctx = this.ctx;
    return (ctx.outputLatency || 0) + (ctx.baseLatency || 0);
  }

  // When a sound scheduled at audio time `t` is heard, in page-clock milliseconds.
  heardAtMs(t) {
    return performance.now() + (t - this.ctx.currentTime + this.outputDelayS()) * 1000 + this.tapOffsetMs;
  }

  click(t, accent) {
    const ctx = this.ctx;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = accent ? 1500 : 1000;
    gain.gain.setValueAtTime(accent ? 0.6 : 0.35, t);
    gain.gain.exponentialRampToValueAtTime(0.001, t + 0.05);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.06);
  }

  // Clicks at `times` (audio clock); every `accentEvery`-th one accented (0 = none).
  schedule(times, accentEvery) {
    this.stop();
    let next = 0;
    const tick = () => {
      const horizon = this.ctx.currentTime + LOOKAHEAD_S;
      while (next < times.length && times[next] < horizon) {
        this.click(times[next], accentEvery > 0 && next % accentEvery === 0);
        next += 1;
      }
      if (next >= times.length) this.stop();
    };
    tick();
    this.timer = setInterval(tick, TICK_MS);
  }

  // A metronome run: beat times on the audio clock and on the page clock (seconds).
  async metronome(bpm, durationS, accentEvery) {
    await this.audio();
    const period = 60 / bpm;
    const first = this.ctx.currentTime + 0.6;
    const times = [];
    for (let t = first; t < first + durationS; t += period) times.push(t);
    this.schedule(times, accentEvery);
    return { audio: times, page_s: times.map((t) => this.heardAtMs(t) / 1000), startAt: first };
  }

  // The user's song from `buffer` (decoded audio), with its beats from the server.
  async song(buffer, beatTimesS, durationS) {
    await this.audio();
    this.stop();
    const first = this.ctx.currentTime + 0.6;
    this.source = this.ctx.createBufferSource();
    this.source.buffer = buffer;
    this.source.connect(this.ctx.destination);
    this.source.start(first, 0, durationS);
    const audio = beatTimesS.filter((b) => b < durationS).map((b) => first + b);
    return { audio, page_s: audio.map((t) => this.heardAtMs(t) / 1000), startAt: first };
  }

  beep(frequency = 880, seconds = 0.25) {
    if (!this.ctx) return;
    const t = this.ctx.currentTime + 0.01;
    const osc = this.ctx.createOscillator();
    const gain = this.ctx.createGain();
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.4, t);
    gain.gain.exponentialRampToValueAtTime(0.001, t + seconds);
    osc.connect(gain).connect(this.ctx.destination);
    osc.start(t);
    osc.stop(t + seconds);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.source) {
      try { this.source.stop(); } catch { /* already stopped */ }
      this.source = null;
    }
  }

  setTapOffset(ms) {
    this.tapOffsetMs = ms;
    localStorage.setItem("toelab.tapOffsetMs", String(ms));
  }
}

// Median of taps minus heard clicks (ms); taps further than 300 ms from every click are ignored.
export function tapOffsetMs(tapsMs, clicksMs) {
  const offsets = [];
  for (const tap of tapsMs) {
    let best = null;
    for (const click of clicksMs) if (best === null || Math.abs(tap - click) < Math.abs(best)) best = tap - click;
    if (best !== null && Math.abs(best) <= 300) offsets.push(best);
  }
  if (offsets.length < 4) return null;
  offsets.sort((a, b) => a - b);
  const mid = offsets.length >> 1;
  return offsets.length % 2 ? offsets[mid] : (offsets[mid - 1] + offsets[mid]) / 2;
}
