// Camera → canvas → JPEG → WebSocket, with at most two frames in flight.
import { csrfToken } from "./csrf.js";
const HEADER_BYTES = 12; // uint32 sequence number + float64 capture time (ms, page clock)
export const MAX_IN_FLIGHT = 2;
// the longest a command waits for the server's answer (the figures of a long run take a while
// on a slow computer); past it the page says so instead of waiting for ever
const ANSWER_TIMEOUT_MS = 120000;

export class Camera {
  constructor(video) {
    this.video = video;
    this.stream = null;
    this.canvas = document.createElement("canvas");
  }

  async start() {
    if (this.stream) return;
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 }, facingMode: "environment" },
    });
    this.video.srcObject = this.stream;
    await this.video.play();
  }

  get width() { return this.video.videoWidth; }
  get height() { return this.video.videoHeight; }

  // The current picture on a canvas (for calibration).
  still(target) {
    target.width = this.width;
    target.height = this.height;
    target.getContext("2d").drawImage(this.video, 0, 0);
    return target;
  }
}

// One live run: frames go out as they are captured, state messages come back.
export class LiveLink {
  constructor(camera, onMessage) {
    this.camera = camera;
    this.onMessage = onMessage;
    this.ws = null;
    this.query = ""; // "&pair=…": a big screen shows this run too (pairing.js)
    this.seq = 0;
    this.inFlight = 0;
    this.sentAt = new Map();
    this.streaming = false;
    this.waiters = [];
    this.stats = { sent: 0, answered: 0, dropped: 0, skipped: 0, rttMs: [], serverMs: [], firstAt: 0, lastAt: 0 };
    this.canvas = document.createElement("canvas");
    this.sending = Promise.resolve(); // the frames on their way out, in order
  }

  async open() {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    // the handshake carries the CSRF token: another site's page cannot open it with our cookies
    this.ws = new WebSocket(`${scheme}://${location.host}/ws/live?csrf=${encodeURIComponent(csrfToken())}${this.query}`);
    this.ws.binaryType = "arraybuffer";
    this.ws.onmessage = (event) => this.received(JSON.parse(event.data));
    const ws = this.ws;
    // a connection that closes answers every command still waiting, so no step waits for ever
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.streaming = false;
      this.inFlight = 0;
      this.sentAt.clear();
      this.answerAll({ type: "error", message: "The connection to the toelab server was lost: check that toelab serve is still running, then run the test again." });
    };
    await new Promise((resolve, reject) => {
      this.ws.onopen = resolve;
      this.ws.onerror = () => reject(new Error("could not reach the toelab server"));
    });
  }

  received(message) {
    if (message.seq !== undefined && this.sentAt.has(message.seq)) {
      const now = performance.now();
      this.stats.rttMs.push(now - this.sentAt.get(message.seq));
      if (message.server_ms !== undefined) this.stats.serverMs.push(message.server_ms);
      this.sentAt.delete(message.seq);
      this.inFlight = Math.max(0, this.inFlight - 1);
      if (message.type === "dropped") this.stats.dropped += 1; else this.stats.answered += 1;
      this.stats.lastAt = now;
    }
    // an error about one frame (it carries the frame's number) answers no command
    const commandError = message.type === "error" && typeof message.seq !== "number";
    const waiting = this.waiters.filter((w) => w.type === message.type || commandError);
    this.waiters = this.waiters.filter((w) => !waiting.includes(w));
    for (const w of waiting) w.resolve(message);
    this.onMessage(message);
  }

  answerAll(message) {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.resolve(message);
  }

  reply(type) {
    return new Promise((resolve) => {
      const waiter = { type, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve({ type: "error", message: "The toelab server did not answer in time: please run the test again." });
      }, ANSWER_TIMEOUT_MS);
    });
  }

  async start(request) {
    await this.open();
    const armed = this.reply("armed");
    this.ws.send(JSON.stringify({ type: "start", ...request }));
    const answer = await armed;
    if (answer.type === "error") throw new Error(answer.message);
    this.streaming = true;
    this.stats = { sent: 0, answered: 0, dropped: 0, skipped: 0, rttMs: [], serverMs: [], firstAt: 0, lastAt: 0 };
    this.loop();
  }

  // the next step of a run: the live bars score these toes from the next frame on
  // `step`: the id of the test's step that starts (its figures come back step by step)
  async retarget(target, step = null) {
    const targeted = this.reply("targeted");
    this.ws.send(JSON.stringify({ type: "target", target, step }));
    const answer = await targeted;
    if (answer.type === "error") throw new Error(answer.message);
  }

  async stop(keep = true) {
    this.streaming = false;
    const deadline = performance.now() + 2000;
    while (this.inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const summary = this.reply("summary");
    this.ws.send(JSON.stringify({ type: "stop", keep }));
    const answer = await summary;
    if (answer.type === "error") throw new Error(answer.message);
    return answer;
  }

  loop() {
    const video = this.camera.video;
    const onFrame = (now, meta) => {
      if (!this.streaming) return;
      // the camera's own capture time when it gives one (same clock as performance.now())
      const captured = meta.captureTime ?? meta.presentationTime ?? now;
      if (this.inFlight < MAX_IN_FLIGHT) this.send(captured);
      else this.stats.skipped += 1;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  send(capturedMs) {
    const { width, height } = this.camera;
    if (!width) return;
    this.canvas.width = width;
    this.canvas.height = height;
    this.canvas.getContext("2d").drawImage(this.camera.video, 0, 0);
    const seq = (this.seq = (this.seq + 1) >>> 0);
    this.inFlight += 1;
    this.sentAt.set(seq, performance.now());
    const encoded = new Promise((resolve) => this.canvas.toBlob(resolve, "image/jpeg", 0.75));
    // frames leave in the order they were taken, however long each took to encode: the server
    // refuses a sequence number that does not grow
    this.sending = this.sending.then(async () => {
      const blob = await encoded;
      if (!blob || this.ws?.readyState !== WebSocket.OPEN) {
        this.inFlight -= 1;
        this.sentAt.delete(seq);
        return;
      }
      const jpeg = new Uint8Array(await blob.arrayBuffer());
      const message = new Uint8Array(HEADER_BYTES + jpeg.length);
      const view = new DataView(message.buffer);
      view.setUint32(0, seq, true);
      view.setFloat64(4, capturedMs, true);
      message.set(jpeg, HEADER_BYTES);
      this.ws.send(message);
      this.stats.sent += 1;
      if (!this.stats.firstAt) this.stats.firstAt = performance.now();
    });
  }
}
