// Small helpers every screen uses: finding and making elements, numbers as text, the status
// line and the JSON requests to the server.

export const $ = (sel) => document.querySelector(sel);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// a fixed number of decimals: 1.0 s, 30 fps
export const fmt = (v, d = 1) => (v === null || v === undefined ? "—" : Number(v).toFixed(d));
// three significant digits: a tremor amplitude of 0.023 stays 0.023, a score of 92.04 becomes 92
export const num = (v) => (v === null || v === undefined ? "—" : String(Number(Number(v).toPrecision(3))));
export const day = (iso) => new Date(iso.length <= 10 ? `${iso}T12:00:00` : iso).toLocaleDateString();

// el("p", { class: "hint", textContent: "…", "data-x": "1", "aria-label": "…" }, child, …);
// null and undefined children are left out.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("data-") || k.startsWith("aria-") || k === "role") node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}
export const svgImage = (svg, alt) => el("img", { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt });

export function say(text) { $("#status").textContent = text; }

export async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message || data.detail || `the server answered ${response.status}`);
  return data;
}

// A table with a caption, column headers and one row header per row. On a narrow screen each
// row becomes a card (the cells carry their column's name); a wider table scrolls sideways in
// a box the keyboard can reach.
export function table(caption, headers, rows) {
  return el("div", { class: "table-wrap", tabIndex: 0, role: "region", "aria-label": caption }, el("table", { class: "figures" },
    el("caption", { textContent: caption }),
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { textContent: h, scope: "col" })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c, i) => (i === 0
      ? el("th", { textContent: c, scope: "row" })
      : el("td", { textContent: c, "data-label": headers[i] }))))))));
}
