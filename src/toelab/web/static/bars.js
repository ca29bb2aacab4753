// The live bars: one per toe, filled by how high it lifts; the target toe outlined, green
// when it lifted on its own (or, for the other four, together), orange (dashed) for a
// neighbour that followed; a test without a target (tremor) shows the bars alone.
import { el, fmt, say } from "./dom.js";
import { liveTrouble } from "./messages.js";
import { onLiveMessage, state } from "./session.js";
import { footWord, words } from "./vocabulary.js";

const BAR_FULL = 0.12; // lift (fraction of foot width) that fills a bar

// `level`: the heading level of each foot's name
export function liveView(container, feet, level = 3) {
  container.hidden = false;
  container.replaceChildren();
  container.lastRep = {};
  for (const foot of feet) {
    const box = el("div", { class: "foot", "data-foot": foot }, el(`h${level}`, { class: "foot-name", textContent: footWord(foot) }));
    const bars = el("div", { class: "bars" });
    words.toes.forEach((name, i) => {
      bars.append(el("div", { class: "toe", "data-toe": String(i + 1) },
        el("div", { class: "track" }, el("div", { class: "fill" })),
        el("span", { class: "name", textContent: name }),
        el("span", { class: "flag", textContent: "" })));
    });
    box.append(bars);
    container.append(box);
  }
}

const sameToes = (a, b) => a.length === b.length && a.every((t, i) => t === b[i]);

// `toes`: the toes this step asks for (null: a test with no target, e.g. a tremor hold;
// undefined: whatever the server scores)
function paintLive(container, message, toes) {
  for (const [foot, data] of Object.entries(message.feet || {})) {
    const box = container.querySelector(`[data-foot="${foot}"]`);
    if (!box) continue;
    if (data.angle_deg !== undefined) {
      box.querySelector(".foot-name").textContent = `${footWord(foot)}: big toe bent up ${fmt(data.angle_deg, 0)}°`;
      continue;
    }
    const live = data.live;
    const aim = toes === undefined ? live.target : toes ?? [];
    // right after a step changes, frames scored against the old target are not shown as marks
    const scored = aim.length > 0 && sameToes([...aim].sort(), [...live.target].sort());
    // the last finished rep stays shown (green, or the toes that followed) until the next one
    const shown = container.lastRep || (container.lastRep = {});
    if (data.rep) shown[foot] = data.rep;
    if (live.target_up) shown[foot] = null;
    const rep = shown[foot];
    for (let i = 0; i < 5; i++) {
      const toe = box.querySelector(`[data-toe="${i + 1}"]`);
      const level = live.level[i];
      toe.querySelector(".fill").style.height = `${Math.max(0, Math.min(1, (level ?? 0) / BAR_FULL)) * 100}%`;
      const target = aim.includes(i + 1);
      const following = scored && live.followers.includes(i + 1);
      const followed = scored && !following && rep && rep.followers.includes(i + 1);
      const good = scored && target && (live.isolated || Boolean(rep && rep.clean && !live.target_up));
      toe.classList.toggle("target", target);
      toe.classList.toggle("good", good);
      toe.classList.toggle("follower", following || Boolean(followed));
      toe.classList.toggle("lost", level === null);
      toe.querySelector(".flag").textContent = level === null ? "not seen"
        : following ? "follows" : followed ? "followed" : good ? (aim.length > 1 ? "together ✓" : "on its own ✓") : "";
    }
  }
}

onLiveMessage((message) => {
  const trouble = liveTrouble(message);
  if (trouble) say(trouble);
  if (message.type === "error") return;
  if (message.type !== "state") return;
  for (const data of Object.values(message.feet || {})) if (data.rep) state.repLog.push(data.rep);
  if (!state.liveTarget) return;
  paintLive(state.liveTarget.container, message, state.liveTarget.toes);
  state.liveTarget.onState?.(message);
});

// The bars go when a run's results are shown: they belong to the run, not to its figures.
export function clearLive(container) {
  container.replaceChildren();
  container.lastRep = {};
  container.hidden = true;
}

// The toes a new step scores: old marks (a rep of the previous target) are dropped.
export function newTarget(container, toes) {
  container.lastRep = {};
  if (state.liveTarget) state.liveTarget.toes = toes;
  for (const toe of container.querySelectorAll("[data-toe]")) {
    toe.classList.toggle("target", Boolean(toes?.includes(Number(toe.dataset.toe))));
    toe.classList.remove("good", "follower");
    if (!toe.classList.contains("lost")) toe.querySelector(".flag").textContent = "";
  }
}
