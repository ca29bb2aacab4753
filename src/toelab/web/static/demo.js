// Short animated demonstrations of each test step and exercise, drawn on the page (SVG) from
// the same foot as the page's diagrams (/api/foot-geometry, toelab.protocols.diagrams): the
// toes as the camera in front of them sees them, or the foot from its inner side.
import { api, el } from "./dom.js";
import { state } from "./session.js";

const NS = "http://www.w3.org/2000/svg";
const W = 320;
const H = 200;
const FLOOR = 150; // the floor line of the front view
const CYCLE_S = 2.4;
const DEMO_FPS = 20;
let geometry = null;

function svg(tag, attrs = {}) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}
const ease = (p) => 0.5 - 0.5 * Math.cos(2 * Math.PI * p); // 0 → 1 → 0 over a cycle
const upFor = (p) => Math.min(1, 1.6 * ease(p)); // up, held at the top a while, down

// The front view's toes, big toe first: the diagram's toes (seen from above, right foot)
// turned to face the camera, so the big toe is on the picture's right.
function frontToes() {
  return geometry.front.toes.map(([x, , r]) => ({ x: W - x, r, h: 2.4 * r + 10 }));
}

function frontScene(box) {
  const toes = frontToes();
  const left = Math.min(...toes.map((t) => t.x - t.r)) - 12;
  const right = Math.max(...toes.map((t) => t.x + t.r)) + 12;
  box.append(svg("line", { class: "floor", x1: 10, y1: FLOOR, x2: W - 10, y2: FLOOR }));
  // the top of the foot, rising behind the toes
  box.append(svg("path", { class: "foot", d: `M${left} ${FLOOR} C${left} ${FLOOR - 70} ${right} ${FLOOR - 80} ${right} ${FLOOR} Z` }));
  const shapes = toes.map((t, i) => {
    const g = svg("g", { "data-toe": String(i + 1) });
    g.append(svg("rect", { class: "foot digit", x: t.x - t.r, y: FLOOR - t.h, width: 2 * t.r, height: t.h, rx: t.r }),
      svg("ellipse", { class: "nail", cx: t.x, cy: FLOOR - t.h + t.r * 0.9, rx: t.r * 0.55, ry: t.r * 0.5 }));
    box.append(g);
    return g;
  });
  return { toes, shapes };
}

// each toe: its lift (px), how far it spreads (px) and how much it curls (0..1)
function poseToes(scene, pose) {
  scene.toes.forEach((t, i) => {
    const { lift = 0, dx = 0, curl = 0 } = pose(i + 1) || {};
    scene.shapes[i].setAttribute("transform", `translate(${dx} ${-lift}) translate(${t.x} ${FLOOR}) scale(1 ${1 - 0.45 * curl}) translate(${-t.x} ${-FLOOR})`);
  });
}

const liftOf = (toes, amount) => (toe) => ({ lift: toes.includes(toe) ? amount : 0 });

// the front-view demonstrations: (box, scene) → frame(p, t)
const FRONT = {
  lift: (toes, extra) => (box, scene) => {
    const band = extra === "band" ? svg("path", { class: "band" }) : null;
    if (band) box.append(band);
    return (p) => {
      const up = 22 * upFor(p);
      poseToes(scene, liftOf(toes, up));
      if (band) {
        // the band lies over every toe's top and is pulled up by the lifted ones
        const tops = scene.toes.map((t, i) => [t.x, FLOOR - t.h - (toes.includes(i + 1) ? up : 0) - 2]).sort((a, b) => a[0] - b[0]);
        band.setAttribute("d", `M20 ${FLOOR} ${tops.map(([x, y]) => `L${x} ${y}`).join(" ")} L${W - 20} ${FLOOR}`);
      }
    };
  },
  cycle: () => (box, scene) => (p, t) => {
    const toe = 1 + (Math.floor(t / CYCLE_S) % 5);
    poseToes(scene, liftOf([toe], 22 * upFor(p)));
  },
  press: () => (box, scene) => {
    const arrow = svg("path", { class: "arrow", d: "" });
    box.append(arrow);
    return (p) => {
      poseToes(scene, liftOf([2, 3, 4, 5], 22 * upFor(p)));
      const x = scene.toes[0].x;
      const y = FLOOR - scene.toes[0].h - 30 + 6 * upFor(p);
      arrow.setAttribute("d", `M${x} ${y} l0 20 m-6 -7 l6 7 l6 -7`);
    };
  },
  spread: () => (box, scene) => (p) => {
    const middle = scene.toes[2].x;
    poseToes(scene, (toe) => ({ dx: 0.35 * (scene.toes[toe - 1].x - middle) * upFor(p) }));
  },
  towel: () => (box, scene) => {
    const towel = svg("path", { class: "towel" });
    box.insertBefore(towel, box.firstChild.nextSibling);
    return (p) => {
      const c = upFor(p);
      poseToes(scene, () => ({ curl: c }));
      // the towel's near edge bunches up towards the foot as the toes curl
      const y = FLOOR + 30 - 20 * c;
      towel.setAttribute("d", `M20 ${FLOOR} L${W - 20} ${FLOOR} L${W - 20} ${y} Q${W / 2 + 40} ${y - 10 * c} ${W / 2} ${y} T20 ${y} Z`);
    };
  },
  marble: () => (box, scene) => {
    const cup = svg("path", { class: "cup", d: `M${W - 60} ${FLOOR} l-8 -36 l48 0 l-8 36 Z` });
    const marble = svg("circle", { class: "marble", r: 7 });
    box.append(cup, marble);
    return (p) => {
      const grip = Math.min(1, 4 * p); // curl round the marble
      const carry = Math.max(0, Math.min(1, (p - 0.3) / 0.4)); // lift it over to the cup
      poseToes(scene, (toe) => ({ curl: toe === 1 ? 0.6 * grip : 0, lift: toe === 1 ? 18 * Math.sin(Math.PI * carry) : 0 }));
      const x0 = scene.toes[0].x;
      const x = x0 + (W - 44 - x0) * carry;
      const y = p > 0.7 ? FLOOR - 12 : FLOOR - 7 - 30 * Math.sin(Math.PI * carry);
      marble.setAttribute("cx", String(x)); marble.setAttribute("cy", String(y));
    };
  },
  beat: (toes, periodS) => (box, scene) => {
    const dot = svg("circle", { class: "beat", cx: 30, cy: 30, r: 10 });
    box.append(dot);
    return (p, t) => {
      const phase = (t % periodS) / periodS;
      dot.setAttribute("opacity", phase < 0.15 ? "1" : "0.15");
      poseToes(scene, liftOf(toes, 18 * Math.sin(Math.PI * Math.min(1, phase * 2))));
    };
  },
  still: (toes) => (box, scene) => {
    const ring = svg("circle", { class: "timer", cx: 30, cy: 30, r: 12, "stroke-dasharray": "75.4", "stroke-dashoffset": "75.4" });
    box.append(ring);
    return (p) => { ring.setAttribute("stroke-dashoffset", String(75.4 * (1 - p))); poseToes(scene, liftOf(toes, toes.length ? 14 : 0)); };
  },
  kinetic: () => (box, scene) => (p) => poseToes(scene, liftOf([1, 2, 3, 4, 5], 18 * ease(2 * p % 1))),
};

function sideScene(box) {
  const side = geometry.side;
  const [mx, my] = side.points.mtp1;
  box.append(svg("line", { class: "floor", x1: 10, y1: side.floor_y, x2: W - 10, y2: side.floor_y }));
  const foot = svg("g", {});
  const hallux = svg("path", { class: "foot", d: side.hallux });
  foot.append(svg("path", { class: "foot", d: side.body }), hallux);
  box.append(foot);
  // the diagram draws the big toe bent up (to show the angle measured); the demonstrations
  // start from it lying flat
  const [tx, ty] = side.points.hallux_tip;
  const flat = (Math.atan2(my - ty, tx - mx) * 180) / Math.PI;
  const bend = (deg) => hallux.setAttribute("transform", `rotate(${flat - deg} ${mx} ${my})`);
  bend(0);
  const tip = [mx + Math.hypot(tx - mx, ty - my), my];
  return { foot, hallux, bend, tip, mtp: [mx, my], heel: side.points.heel, floor: side.floor_y };
}

// fingers under the big toe's tip, lifting it
const handAt = ([x, y]) => svg("path", { class: "hand", d: `M${x - 14} ${y + 2} q16 6 26 -4 q6 -10 -2 -14 q-4 10 -24 12 Z` });

const SIDE = {
  extend: (byHand) => (box, scene) => {
    const hand = byHand ? handAt(scene.tip) : null;
    if (hand) box.append(hand);
    return (p) => {
      const angle = 65 * upFor(p);
      scene.bend(angle);
      if (hand) hand.setAttribute("transform", `rotate(${-angle} ${scene.mtp[0]} ${scene.mtp[1]})`);
    };
  },
  mobilise: () => (box, scene) => {
    const hand = handAt(scene.tip);
    box.append(hand);
    return (p) => {
      const angle = 35 + 25 * Math.sin(2 * Math.PI * p);
      scene.bend(angle);
      hand.setAttribute("transform", `rotate(${-angle} ${scene.mtp[0]} ${scene.mtp[1]})`);
    };
  },
  calf: () => (box, scene) => {
    const [mx] = scene.mtp;
    box.insertBefore(svg("path", { class: "wedge", d: `M${mx + 5} ${scene.floor} l60 0 l0 -14 Z` }), box.firstChild);
    // the heel rises about the big toe's base joint; the big toe stays flat on the wedge
    return (p) => {
      const angle = 25 * upFor(p);
      scene.foot.setAttribute("transform", `rotate(${angle} ${scene.mtp[0]} ${scene.mtp[1]})`);
      scene.bend(angle);
    };
  },
  ball: () => (box, scene) => {
    const ball = svg("circle", { class: "ball", r: 12 });
    box.insertBefore(ball, box.firstChild);
    scene.foot.setAttribute("transform", "translate(0 -22)");
    return (p) => {
      const x = scene.heel[0] + (scene.mtp[0] - scene.heel[0]) * ease(p);
      ball.setAttribute("cx", String(x)); ball.setAttribute("cy", String(scene.floor - 12));
    };
  },
  walk: () => (box, scene) => {
    for (let x = 20; x < W; x += 26) box.insertBefore(svg("circle", { class: "pebble", cx: x, cy: scene.floor, r: 4 }), box.firstChild);
    return (p) => scene.foot.setAttribute("transform", `translate(${-60 + 120 * p} ${-10 * Math.abs(Math.sin(2 * Math.PI * p))}) rotate(${10 * Math.sin(2 * Math.PI * p)} ${scene.mtp[0]} ${scene.mtp[1]})`);
  },
  bridge: () => (box, scene) => {
    // lying on the back, feet flat: the hips rise and lower
    scene.foot.setAttribute("transform", "translate(60 0) scale(0.5) translate(160 180)");
    const body = svg("path", { class: "body" });
    box.append(body, svg("circle", { class: "foot", cx: 40, cy: scene.floor - 10, r: 10 }));
    return (p) => {
      const hip = scene.floor - 8 - 34 * upFor(p);
      body.setAttribute("d", `M50 ${scene.floor - 8} L130 ${hip} L185 ${scene.floor - 60} L200 ${scene.floor - 4}`);
    };
  },
};

// which drawing each test step and exercise gets, and the sentence under it
const DEMOS = {
  ...Object.fromEntries([1, 2, 3, 4, 5].map((t) => [`lift_toe${t}`, ["front", FRONT.lift([t])]])),
  big_toe_alone: ["front", FRONT.lift([1])],
  other_four: ["front", FRONT.lift([2, 3, 4, 5])],
  active: ["side", SIDE.extend(false)],
  passive: ["side", SIDE.extend(true)],
  rest: ["front", FRONT.still([])],
  postural: ["front", FRONT.still([1, 2, 3, 4, 5])],
  kinetic: ["front", FRONT.kinetic()],
  big_toe_600ms: ["front", FRONT.beat([1], 0.6)],
  other_four_600ms: ["front", FRONT.beat([2, 3, 4, 5], 0.6)],
  big_toe_400ms: ["front", FRONT.beat([1], 0.4)],
  both_feet_600ms: ["front", FRONT.beat([1], 0.6)],
  toe_isolation: ["front", FRONT.cycle()],
  toe_isolation_band: ["front", FRONT.lift([1], "band")],
  big_toe_plant_band: ["front", FRONT.lift([2, 3, 4, 5], "band")],
  big_toe_plant: ["front", FRONT.press()],
  musical_toes: ["front", FRONT.beat([1], 0.6)],
  towel_scrunch: ["front", FRONT.towel()],
  marble_pickup: ["front", FRONT.marble()],
  textures_walk: ["side", SIDE.walk()],
  tennis_ball_roll: ["side", SIDE.ball()],
  big_toe_mobilisation: ["side", SIDE.mobilise()],
  calf_raise_wedge: ["side", SIDE.calf()],
  glute_bridge: ["side", SIDE.bridge()],
  foot_stretch_strength: ["front", FRONT.spread()],
};
export const demoIds = () => Object.keys(DEMOS);

// The demonstration of `id` (a test step or an exercise) in `container`, replacing the one
// there; none for an id without one. Reduced motion: one still picture at the movement's top.
export async function showDemo(container, id) {
  for (const old of container.querySelectorAll(".demo")) old.remove();
  const entry = DEMOS[id];
  if (!entry) return null;
  geometry ??= await api("/api/foot-geometry");
  const figure = demoFigure(id, entry);
  for (const old of container.querySelectorAll(".demo")) old.remove();
  container.append(figure);
  // an exercise that moves on to a band: the resisted lift too
  const exercise = state.protocols?.exercises.find((x) => x.id === id);
  if (exercise?.progression.some((level) => level.id === "band") && DEMOS[`${id}_band`]) {
    const band = demoFigure(`${id}_band`, DEMOS[`${id}_band`]);
    band.append(el("figcaption", { class: "hint", textContent: "Later: the same lift against a light band round the toes" }));
    container.append(band);
  }
  return figure;
}

function demoFigure(id, entry) {
  const [view, make] = entry;
  const box = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "demo-picture", role: "img", "aria-label": `Moving picture of how to do it (${id.replaceAll("_", " ")})` });
  const scene = view === "front" ? frontScene(box) : sideScene(box);
  const frame = make(box, scene);
  const figure = el("figure", { class: "demo", "data-demo": id, "data-view": view }, box);
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const started = performance.now();
  let drawn = -Infinity;
  const tick = (now) => {
    if (!box.isConnected) return;
    // DEMO_FPS is smooth enough for a slow movement and leaves the processor to the camera
    if (now - drawn >= 1000 / DEMO_FPS) {
      drawn = now;
      const t = (now - started) / 1000;
      frame(still ? 0.3 : (t % CYCLE_S) / CYCLE_S, still ? 0.3 : t);
      figure.dataset.frames = String(Number(figure.dataset.frames || 0) + 1);
    }
    if (!still) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return figure;
}
