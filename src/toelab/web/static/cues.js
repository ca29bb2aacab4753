// What the trainer says during training, from the live figures: the count of clean reps,
// "hold … 3, 2, 1 … down", and which toe followed ("4th toe followed — keep it down", the name from the vocabulary).
import { onLiveMessage, state } from "./session.js";
import { cue } from "./speech.js";
import { toeName } from "./vocabulary.js";

const run = { said: new Set(), wasUp: false, goal: null, goalSaid: false };

// a training run starts: `goal` clean reps
export function trainingCues(goal) {
  Object.assign(run, { said: new Set(), wasUp: false, goal, goalSaid: false });
}

export function followedWords(followers) {
  const names = followers.map(toeName);
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0];
  return `${list} followed — keep ${names.length > 1 ? "them" : "it"} down`;
}

onLiveMessage((message) => {
  if (message.type !== "state" || state.liveTarget?.container?.id !== "train-live") return;
  const foot = document.querySelector("#train-foot")?.value;
  const data = message.feet?.[foot];
  const live = data?.live;
  if (!live) return;
  if (live.target_up && !run.wasUp) {
    run.said = new Set();
    if (live.hold_target_s) cue("Hold");
  }
  run.wasUp = live.target_up;
  if (live.target_up && live.hold_target_s && !live.hold_reached) {
    const left = Math.ceil(live.hold_remaining_s);
    if (left >= 1 && left <= 3 && !run.said.has(left)) { run.said.add(left); cue(String(left)); }
  }
  if (live.hold_reached && !run.said.has("down")) { run.said.add("down"); cue("Down"); }
  const rep = data.rep;
  if (rep) {
    if (rep.followers.length) cue(followedWords(rep.followers));
    else if (rep.clean) cue(String(live.clean_reps));
  }
  if (run.goal && live.clean_reps >= run.goal && !run.goalSaid) {
    run.goalSaid = true;
    cue(`${run.goal} clean reps — well done`);
  }
});
