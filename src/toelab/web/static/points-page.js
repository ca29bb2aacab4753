// The page of `toelab points --edit`: the picture the command read, its proposed points in
// the trainer's point editor, and Save, which writes the points file and ends the command.
import { $ } from "./dom.js";
import { pointEditor } from "./point-editor.js";

const setup = await (await fetch("setup")).json();
const editor = pointEditor(
  { canvas: $("#points-canvas"), list: $("#point-select"), next: $("#next-point"), undo: $("#undo-point"), place: $("#place-points"), use: $("#save") },
  setup.words, () => setup.view, () => $("#foot").value,
);
const still = new Image();
still.src = "frame.png";
await still.decode();
editor.setStill(still);
if (setup.points.length) {
  editor.setFeet(setup.points);
  if (setup.points.length === 1) $("#foot").value = setup.points[0].foot;
} else {
  editor.placeByHand();
}
const sure = setup.confident ? "toelab found the points" : "toelab is not sure";
$("#proposal-msg").textContent = `${sure}: ${setup.message}.`.replace(/\.\.$/, ".");

$("#place-points").addEventListener("click", () => { editor.placeByHand(); $("#points-canvas").focus(); });
$("#foot").addEventListener("change", (e) => editor.setFoot(e.target.value));
$("#save").addEventListener("click", async () => {
  $("#save").disabled = true;
  const response = await fetch("save", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(editor.points()) });
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    $("#status").textContent = `Saved to ${answer.saved}. You can close this page.`;
    document.body.dataset.saved = "1";
  } else {
    $("#status").textContent = `Not saved: ${answer.message || `the command answered ${response.status}`}`;
    $("#save").disabled = false;
  }
});
document.body.dataset.ready = "1";
