// Reminders for the plan: a notification at the chosen time where the browser allows it
// (while toelab is open in a tab or installed), and the plan as a calendar file for every
// other case (/api/plan.ics), which a phone's or computer's calendar reminds of by itself.
import { $, el } from "./dom.js";

const KEY = "toelab.reminderAt";
let timer = null;

function nextAt(hhmm, now = new Date()) {
  const [h, m] = hhmm.split(":").map(Number);
  const at = new Date(now);
  at.setHours(h, m, 0, 0);
  if (at <= now) at.setDate(at.getDate() + 1);
  return at;
}

async function notify() {
  const options = { body: "Time for today's toe exercises. Open toelab to start.", tag: "toelab-plan", icon: "/static/icon-192.png" };
  const registration = await navigator.serviceWorker?.getRegistration();
  if (registration) await registration.showNotification("toelab", options);
  else new Notification("toelab", options);
}

function schedule() {
  clearTimeout(timer);
  const at = localStorage.getItem(KEY);
  if (!at || !("Notification" in window) || Notification.permission !== "granted") return;
  timer = setTimeout(async () => { await notify(); schedule(); }, nextAt(at) - new Date());
}

function box() {
  const saved = localStorage.getItem(KEY) || "18:00";
  const time = el("input", { type: "time", id: "reminder-time", value: saved });
  const calendar = el("a", { id: "plan-ics", class: "button", download: "toelab-plan.ics", textContent: "Add the plan to my calendar (.ics)" });
  const setLink = () => { calendar.href = `/api/plan.ics?at=${encodeURIComponent(time.value || "18:00")}`; };
  setLink();
  time.addEventListener("change", setLink);
  const msg = el("p", { id: "reminder-msg", role: "status" });
  const supported = "Notification" in window;
  const button = el("button", { id: "reminder-on", type: "button", textContent: "Remind me here", disabled: !supported });
  button.addEventListener("click", async () => {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      msg.textContent = "This browser does not allow toelab's reminders: use the calendar file instead.";
      return;
    }
    localStorage.setItem(KEY, time.value || "18:00");
    schedule();
    msg.textContent = `toelab reminds you at ${time.value} while it is open in a tab. For a reminder at any time, add the calendar file too.`;
  });
  return el("div", { id: "reminders", class: "reminders" }, el("h3", { textContent: "Reminders" }),
    el("div", { class: "row" }, el("label", {}, "Remind me at ", time), button, calendar),
    supported ? null : el("p", { class: "hint", textContent: "This browser cannot show notifications: use the calendar file." }), msg);
}

$("#plan-body").after(box());
schedule();
