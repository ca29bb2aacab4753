// The sign-in form of the clinic mode: user name and password as JSON, then the trainer page.
import "./csrf.js";

const form = document.querySelector("#login");
const status = document.querySelector("#login-status");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  status.textContent = "";
  const body = JSON.stringify({ username: form.username.value, password: form.password.value });
  const response = await fetch("/api/login", { method: "POST", headers: { "Content-Type": "application/json" }, body });
  if (response.ok) {
    location.assign("/");
    return;
  }
  const answer = await response.json().catch(() => ({}));
  status.textContent = answer.message || answer.detail || "Could not sign in.";
});
