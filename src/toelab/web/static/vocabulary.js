// The words for toes, feet, points, tests and exercises, as the server names them
// (/api/vocabulary): loaded once before the page draws anything.
import { api } from "./dom.js";

export const words = {};
export async function loadVocabulary() { Object.assign(words, await api("/api/vocabulary")); }

export const toeName = (toe) => words.toes[toe - 1] ?? `toe ${toe}`;
export const footWord = (foot) => words.feet[foot] || "";
export const taskName = (task) => words.tasks[task] || task;
export const exerciseName = (id) => words.exercises[id] || id;
