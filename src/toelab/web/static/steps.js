// The isolation test step by step: for each foot, did the other toes stay down in each step
// and how high the named toes went; then left against right where both feet were filmed.
import { el } from "./dom.js";
import { footWord } from "./vocabulary.js";

// `steps`: a summary's `steps` (the server's words); `table(rows, caption)` draws the rows
export function renderSteps(steps, level, table) {
  if (!steps?.rows) return null;
  const box = el("section", { class: "steps" }, el(`h${level}`, { textContent: "Step by step" }));
  for (const [foot, rows] of Object.entries(steps.rows)) {
    const name = footWord(foot) || `${foot} foot`;
    const part = table(rows, `${name[0].toUpperCase()}${name.slice(1)}: each step`);
    part.dataset.foot = foot;
    box.append(part);
  }
  if (steps.compare?.length) {
    const compare = table(steps.compare, "");
    compare.classList.add("compare");
    box.append(el(`h${level + 1}`, { textContent: steps.compare_title }), compare);
  }
  return box;
}
