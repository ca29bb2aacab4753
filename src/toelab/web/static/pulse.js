// A beat to see beside the sound: an element that flashes on each beat. Each flash is set,
// one beat at a time, from the metronome's audio clock: it comes when the scheduled click is
// heard (its audio time plus the sound's output delay and the measured tap offset). One timer
// per beat, not a callback on every frame: the camera's frames need the page's time.
const FLASH_MS = 120;
const EARLY_MS = 4; // a timer fires at its time or later: it is asked for a little early

export class BeatPulse {
  constructor(element, beat) { this.el = element; this.beat = beat; this.timer = null; this.flashedAtMs = []; }

  // `audioTimes`: the beats on the audio clock (s), as Beat.metronome and Beat.song return them
  start(audioTimes, accentEvery = 4) {
    this.stop();
    this.flashedAtMs = [];
    this.el.hidden = false;
    this.el.dataset.beats = "0";
    let next = 0;
    const heardNowS = () => this.beat.ctx.currentTime - this.beat.outputDelayS() - this.beat.tapOffsetMs / 1000;
    const wait = () => {
      if (next >= audioTimes.length) { this.timer = null; return; }
      const aheadMs = (audioTimes[next] - heardNowS()) * 1000;
      if (aheadMs > 0) { this.timer = setTimeout(wait, Math.max(0, aheadMs - EARLY_MS)); return; }
      while (next + 1 < audioTimes.length && audioTimes[next + 1] <= heardNowS()) next += 1; // a stalled page skips
      this.flash(next, accentEvery);
      next += 1;
      this.timer = setTimeout(wait, 0);
    };
    wait();
  }

  flash(index, accentEvery) {
    this.flashedAtMs.push(performance.now());
    this.el.dataset.beats = String(index + 1);
    this.el.classList.toggle("accent", accentEvery > 0 && index % accentEvery === 0);
    this.el.classList.add("on");
    clearTimeout(this.off);
    this.off = setTimeout(() => this.el.classList.remove("on"), FLASH_MS);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    this.el.classList.remove("on", "accent");
    this.el.hidden = true; // no beat light left over for the next test
  }
}
