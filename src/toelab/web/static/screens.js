// The page's screens: one shown at a time; each module says what to load when its screen opens.
import { $ } from "./dom.js";

const openers = new Map();
export function onScreen(name, callback) {
  if (!openers.has(name)) openers.set(name, []);
  openers.get(name).push(callback);
}
// on a phone the screens sit behind one menu button that names the screen shown
function openMenu(open) {
  $("#screens").classList.toggle("open", open);
  $("#menu-toggle").setAttribute("aria-expanded", String(open));
}
$("#menu-toggle").addEventListener("click", () => openMenu(!$("#screens").classList.contains("open")));

export function show(name) {
  for (const s of document.querySelectorAll(".screen")) s.hidden = s.id !== `screen-${name}`;
  for (const b of document.querySelectorAll("nav button")) {
    if (b.dataset.screen === name) {
      b.setAttribute("aria-current", "page");
      $("#menu-current").textContent = b.textContent;
    } else b.removeAttribute("aria-current");
  }
  openMenu(false);
  for (const callback of openers.get(name) || []) callback();
  $("#main").focus();
}
export const currentScreen = () => document.querySelector("nav button[aria-current]")?.dataset.screen;
for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => show(b.dataset.screen));
