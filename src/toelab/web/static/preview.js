// The camera picture beside the live bars, during the set-up check, tests and training: the
// tracked points drawn on it, the target toe ringed, mirrored when the camera faces the
// person (a front camera), so moving a toe moves it on screen as in a mirror.
import { el } from "./dom.js";
import { camera, onLiveMessage, state } from "./session.js";
import { toeName } from "./vocabulary.js";

const COLOURS = { target: "#ffd23f", good: "#1fa37a", follower: "#ff8c1a", point: "#ffffff", lost: "#9aa0a6" };
const last = { feet: null }; // the newest tracked points, per foot
const PREVIEW_FPS = 15;

onLiveMessage((message) => {
  if (message.type === "state") last.feet = message.feet;
  if (message.type === "armed") last.feet = null; // a new run starts from the set-up points
});

export const mirrored = () => camera.stream?.getVideoTracks()[0]?.getSettings().facingMode === "user";

// a tracked point on the picture: toe points come in the foot's first-frame pixels, moved
// by the foot's shift, turn and scale since then (`motion`); side-view points as they are
function onPicture(xy, motion) {
  if (!motion) return xy;
  const [dx, dy, deg, scale] = motion;
  const a = (deg * Math.PI) / 180;
  return [scale * (Math.cos(a) * xy[0] - Math.sin(a) * xy[1]) + dx, scale * (Math.sin(a) * xy[0] + Math.cos(a) * xy[1]) + dy];
}

// what to mark: [{foot, points: [{xy, toe, lost, up}], live}] from the newest state, or the
// set-up points before the first one
function marks() {
  const setup = state.points || [];
  return setup.map((fp) => {
    const names = fp.view === "side" ? ["heel", "mtp1", "hallux_tip"] : ["toe1", "toe2", "toe3", "toe4", "toe5"];
    const data = last.feet?.[fp.foot];
    const points = names.map((name, i) => {
      const tracked = data?.xy?.[i];
      const lost = data ? !tracked || tracked[0] === null || data.confidence[i] === 0 : false;
      const xy = data && !lost ? onPicture(tracked, fp.view === "side" ? null : data.motion) : fp[name];
      return { xy, toe: fp.view === "side" ? null : i + 1, lost };
    });
    return { foot: fp.foot, points, live: data?.live || null };
  });
}

function paint(canvas, toes) {
  const video = camera.video;
  const w = camera.width, h = camera.height;
  if (!w) return 0;
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = canvas.getContext("2d");
  const flip = mirrored();
  ctx.save();
  if (flip) { ctx.translate(w, 0); ctx.scale(-1, 1); }
  ctx.drawImage(video, 0, 0, w, h);
  ctx.restore();
  const X = (x) => (flip ? w - x : x);
  let drawn = 0;
  const targets = [];
  for (const foot of marks()) {
    for (const p of foot.points) {
      if (!p.xy) continue;
      const live = foot.live;
      const target = p.toe !== null && toes?.includes(p.toe);
      const follower = live && live.followers.includes(p.toe);
      const good = target && live?.isolated;
      const x = X(p.xy[0]), y = p.xy[1];
      ctx.lineWidth = 3;
      ctx.setLineDash(p.lost ? [4, 3] : []);
      ctx.strokeStyle = "#000";
      ctx.fillStyle = p.lost ? COLOURS.lost : good ? COLOURS.good : follower ? COLOURS.follower : COLOURS.point;
      ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      if (target) {
        ctx.strokeStyle = COLOURS.target; ctx.lineWidth = 4;
        ctx.beginPath(); ctx.arc(x, y, 15, 0, 2 * Math.PI); ctx.stroke();
        targets.push(p.toe);
      }
      drawn += 1;
    }
    ctx.setLineDash([]);
  }
  canvas.dataset.points = String(drawn);
  canvas.dataset.targets = [...new Set(targets)].join(",");
  canvas.dataset.tracked = last.feet ? "1" : "0";
  canvas.dataset.mirrored = flip ? "1" : "0";
  return drawn;
}

// The picture in `container` (the live bars' box), first; it stops drawing once removed.
// `toes()`: the toes the step asks for (ringed).
export function showPreview(container, toes = () => state.liveTarget?.toes ?? null) {
  container.querySelector(".preview")?.remove();
  const canvas = el("canvas", { id: `${container.id}-picture`, class: "camera-picture", width: 640, height: 480,
    role: "img", "aria-label": "The camera's picture with the tracked toe points; the target toe is ringed in yellow" });
  const figure = el("figure", { class: "preview" }, canvas, el("figcaption", { class: "hint" }));
  container.prepend(figure);
  container.classList.add("with-preview");
  const caption = figure.querySelector("figcaption");
  // drawn once per camera frame, at most PREVIEW_FPS a second: the page's processor is also
  // encoding the frames the server tracks
  let drawnAt = -Infinity;
  const frame = (now) => {
    if (!canvas.isConnected) { container.classList.remove("with-preview"); return; }
    if (now - drawnAt >= 1000 / PREVIEW_FPS) {
      drawnAt = now;
      const aim = toes();
      paint(canvas, aim);
      caption.textContent = aim?.length ? `Ringed: ${aim.map(toeName).join(", ")}` : "Your toes as the camera sees them";
    }
    next(frame);
  };
  const next = (callback) => (camera.video.requestVideoFrameCallback
    ? camera.video.requestVideoFrameCallback((now) => callback(now)) : requestAnimationFrame(callback));
  next(frame);
  return canvas;
}
