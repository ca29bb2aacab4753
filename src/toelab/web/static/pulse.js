// A beat to see beside the sound: an element that flashes on each beat. It reads the
// metronome's audio clock on every animation frame and flashes when a scheduled click is
// heard (its audio time plus the sound's output delay and the measured tap offset), so it
// keeps time with the clicks even when the page's timers stall.
const FLASH_MS = 120;

export class BeatPulse {
  constructor(element, beat) { this.el = element; this.beat = beat; this.frame = null; this.flashedAtMs = []; }

  // `audioTimes`: the beats on the audio clock (s), as Beat.metronome and Beat.song return them
  start(audioTimes, accentEvery = 4) {
    this.stop();
    let next = 0;
    this.flashedAtMs = [];
    this.el.hidden = false;
    this.el.dataset.beats = "0";
    const tick = () => {
      const heard = this.beat.ctx.currentTime - this.beat.outputDelayS() - this.beat.tapOffsetMs / 1000;
      let hit = -1;
      while (next < audioTimes.length && audioTimes[next] <= heard) hit = next++;
      if (hit >= 0) this.flash(hit, accentEvery);
      this.frame = next < audioTimes.length ? requestAnimationFrame(tick) : null;
    };
    this.frame = requestAnimationFrame(tick);
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
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.el.classList.remove("on", "accent");
    this.el.hidden = true; // no beat light left over for the next test
  }
}
