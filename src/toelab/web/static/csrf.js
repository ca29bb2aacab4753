// Every request that changes something carries the CSRF token the server set in the
// toelab_csrf cookie (clinic mode); an ended sign-in leads back to the sign-in page.
export function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("toelab_csrf="));
  return cookie ? decodeURIComponent(cookie.slice("toelab_csrf=".length)) : "";
}

const plainFetch = window.fetch.bind(window);
window.fetch = async (resource, options = {}) => {
  const method = (options.method || "GET").toUpperCase();
  if (!["GET", "HEAD", "OPTIONS"].includes(method)) {
    const headers = new Headers(options.headers || {});
    headers.set("X-CSRF-Token", csrfToken());
    options = { ...options, headers };
  }
  const response = await plainFetch(resource, options);
  if (response.status === 401 && location.pathname !== "/login") location.assign("/login");
  return response;
};
