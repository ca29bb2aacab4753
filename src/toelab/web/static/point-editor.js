// Placing points on a still picture, in every view: click or tap each point in the order the
// page asks, drag a point to fix it, or pick it in the list and move it with the arrow keys.
// The trainer's camera set-up and the page of `toelab points --edit` both use it.
import { el } from "./dom.js";

const TOUCH_RADIUS_PX = 25; // how near (screen pixels) a press must be to take hold of a point
const KEY_STEP_PX = 2;

// parts: { canvas, list (select), next (line above the picture), undo, place ("place the
// points myself"), use ("use"/"save") }; words: the page's vocabulary (filled in later is
// fine); view(): the view chosen; foot(): the foot that points placed by hand belong to.
export function pointEditor({ canvas, list, next, undo, place, use }, words, view, foot) {
  const ed = { still: null, feet: [], selected: null, dragging: false, placed: [] };
  const pointsOf = (v) => words.points[v];

  function pointList() {
    const out = [];
    for (const [f, item] of ed.feet.entries()) {
      for (const name of pointsOf(item.view)) if (item[name]) out.push([f, name]);
    }
    return out;
  }
  const pointLabel = (item, name) => `${item.foot} foot: ${words.point_names[name]}`;
  // the next point to place by hand: [foot index, point name], or null when every point is there
  function nextPoint() {
    for (const [f, item] of ed.feet.entries()) {
      const missing = pointsOf(item.view).find((n) => !item[n]);
      if (missing) return [f, missing];
    }
    return null;
  }
  const complete = () => ed.feet.length > 0 && nextPoint() === null;

  function refresh() {
    list.replaceChildren(...pointList().map(([f, n]) => el("option", { value: `${f}:${n}`, textContent: pointLabel(ed.feet[f], n) })));
    if (ed.selected) list.value = `${ed.selected[0]}:${ed.selected[1]}`;
    use.disabled = !complete();
    undo.disabled = ed.placed.length === 0;
    place.disabled = !ed.still;
    const upcoming = nextPoint();
    if (!ed.still) next.textContent = "";
    else if (upcoming) {
      const [f, name] = upcoming;
      const names = pointsOf(ed.feet[f].view);
      next.textContent = `Next: click or tap the ${words.point_names[name]} (${names.indexOf(name) + 1} of ${names.length}, ${ed.feet[f].foot} foot).`;
    } else {
      next.textContent = `All points are set. Drag any that is off, then press “${use.textContent}”.`;
    }
    draw();
  }
  function draw() {
    const ctx = canvas.getContext("2d");
    if (ed.still) ctx.drawImage(ed.still, 0, 0);
    ctx.lineWidth = 3;
    for (const [f, item] of ed.feet.entries()) {
      const names = pointsOf(item.view);
      if (item.view === "side") {
        ctx.strokeStyle = "#ffd23f";
        ctx.beginPath();
        names.filter((n) => item[n]).forEach((n, i) => (i ? ctx.lineTo(...item[n]) : ctx.moveTo(...item[n])));
        ctx.stroke();
      }
      names.forEach((name, i) => {
        if (!item[name]) return;
        const [x, y] = item[name];
        const chosen = ed.selected && ed.selected[0] === f && ed.selected[1] === name;
        ctx.fillStyle = chosen ? "#ffd23f" : "#1fa37a";
        ctx.strokeStyle = "#000";
        ctx.beginPath(); ctx.arc(x, y, chosen ? 9 : 7, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
        ctx.fillStyle = "#fff"; ctx.font = "bold 16px system-ui";
        ctx.fillText(item.view === "front" ? String(i + 1) : ["H", "M", "T"][i], x - 5, y - 12);
      });
    }
  }

  const scale = () => canvas.width / canvas.getBoundingClientRect().width;
  function canvasXY(event) {
    const r = canvas.getBoundingClientRect();
    return [(event.clientX - r.left) * (canvas.width / r.width), (event.clientY - r.top) * (canvas.height / r.height)];
  }
  const inside = ([x, y]) => [Math.min(Math.max(x, 0), canvas.width - 1), Math.min(Math.max(y, 0), canvas.height - 1)];
  function nearestPoint(x, y) {
    let best = null, dist = TOUCH_RADIUS_PX * scale();
    for (const [f, n] of pointList()) {
      const d = Math.hypot(ed.feet[f][n][0] - x, ed.feet[f][n][1] - y);
      if (d < dist) { best = [f, n]; dist = d; }
    }
    return best;
  }
  function placeNext(xy) {
    const [f, name] = nextPoint();
    ed.feet[f][name] = inside(xy);
    ed.placed.push([f, name]);
    ed.selected = [f, name];
  }
  // hand placement starts over for the foot chosen (the proposal's points go)
  function placeByHand() {
    ed.feet = [{ view: view(), foot: foot() }];
    ed.selected = null; ed.placed = [];
    refresh();
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (!ed.still) return;
    canvas.focus({ preventScroll: true }); // the arrow keys then move the point pressed
    const xy = canvasXY(event);
    // while points are missing a press places the next one (and a drag moves it on);
    // once all are set a press near a point takes hold of it
    const hit = nextPoint() ? null : nearestPoint(...xy);
    if (nextPoint()) placeNext(xy);
    else if (hit) ed.selected = hit;
    else return;
    ed.dragging = true;
    canvas.setPointerCapture(event.pointerId);
    refresh();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!ed.dragging || !ed.selected) return;
    const [f, n] = ed.selected;
    ed.feet[f][n] = inside(canvasXY(event));
    draw();
  });
  const letGo = () => { if (ed.dragging) { ed.dragging = false; refresh(); } };
  canvas.addEventListener("pointerup", letGo);
  canvas.addEventListener("pointercancel", letGo);
  canvas.addEventListener("keydown", (event) => {
    if (!ed.still) return;
    if ((event.key === "Enter" || event.key === " ") && nextPoint()) {
      event.preventDefault();
      // beside the point placed before, or in the middle of the picture
      const last = ed.selected && ed.feet[ed.selected[0]][ed.selected[1]];
      placeNext(last ? [last[0] + 30, last[1]] : [canvas.width / 2, canvas.height / 2]);
      refresh();
      return;
    }
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (!ed.selected || !moves[event.key]) return;
    event.preventDefault();
    const step = event.shiftKey ? 5 * KEY_STEP_PX : KEY_STEP_PX;
    const [f, n] = ed.selected;
    const p = ed.feet[f][n];
    ed.feet[f][n] = inside([p[0] + moves[event.key][0] * step, p[1] + moves[event.key][1] * step]);
    draw();
  });
  list.addEventListener("change", (e) => {
    const [f, n] = e.target.value.split(":");
    ed.selected = [Number(f), n]; draw();
  });
  undo.addEventListener("click", () => {
    const [f, name] = ed.placed.pop();
    delete ed.feet[f][name];
    ed.selected = ed.placed.at(-1) ?? null;
    refresh();
  });

  return {
    hasStill: () => ed.still !== null,
    // a new picture (an image or a canvas): its points start empty
    setStill(image) {
      ed.still = image; canvas.width = image.width; canvas.height = image.height;
      ed.feet = []; ed.selected = null; ed.placed = [];
      refresh();
    },
    // proposed points (a list of foot objects, as a points file holds them)
    setFeet(feet) { ed.feet = feet.map((p) => ({ ...p })); ed.selected = null; ed.placed = []; refresh(); },
    feetCount: () => ed.feet.length,
    placeByHand,
    // the view changed: the points go (placed by hand again once there is a picture)
    restart() { ed.feet = []; ed.selected = null; ed.placed = []; if (ed.still) placeByHand(); else refresh(); },
    // the foot chosen changed: points placed by hand belong to it
    setFoot(name) { if (ed.feet.length === 1) { ed.feet[0].foot = name; refresh(); } },
    // the points as a points file holds them: one object per foot
    points: () => ed.feet.map((f) => {
      const out = { view: f.view, foot: f.foot };
      for (const n of pointsOf(f.view)) out[n] = f[n].map(Number);
      return out;
    }),
  };
}
