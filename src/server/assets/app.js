// repsearch search page: plain JavaScript, no build step, no external code.
// The URL holds the state (q, country, city, year, page; doc for the document
// view), so every search can be shared and the back button works.
"use strict";

const PAGE_SIZE = 10;
const FACETS = ["country", "city", "year"];
const $ = (sel) => document.querySelector(sel);

// ---- state <-> URL ------------------------------------------------------

function readState() {
  const p = new URLSearchParams(location.search);
  const s = { q: p.get("q") || "", page: Math.max(1, parseInt(p.get("page"), 10) || 1),
    doc: p.get("doc"), p: p.get("p") };
  for (const f of FACETS) s[f] = p.getAll(f);
  return s;
}

function stateUrl(s) {
  const p = new URLSearchParams();
  if (s.doc) p.set("doc", s.doc);
  if (s.q) p.set("q", s.q);
  if (s.doc && s.p != null) p.set("p", s.p);
  if (!s.doc) {
    for (const f of FACETS) for (const v of s[f]) p.append(f, v);
    if (s.page > 1) p.set("page", String(s.page));
  }
  const qs = p.toString();
  return "/" + (qs ? "?" + qs : "") + (s.doc && s.p != null ? "#p-" + s.p : "");
}

let inApp = false; // true once this page has pushed a history entry

function go(s) {
  inApp = true;
  history.pushState(null, "", stateUrl(s));
  return render();
}

// ---- helpers ------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'" };
function unescape(s) { return s.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]); }

// The API's highlight is escaped text with <mark>…</mark>; it is turned into
// text nodes and <mark> elements, never parsed as HTML.
function highlighted(html) {
  const frag = document.createDocumentFragment();
  const parts = html.split(/<mark>|<\/mark>/);
  parts.forEach((part, i) => {
    if (!part) return;
    // blank-line runs of form-like reports collapse to one line break
    const text = document.createTextNode(unescape(part).replace(/[ \t]*\n\s*\n\s*/g, "\n"));
    frag.append(i % 2 === 1 ? el("mark", {}, text) : text);
  });
  return frag;
}

function status(text, isError) {
  const st = $("#status");
  st.textContent = text;
  st.classList.toggle("error", !!isError);
}

async function api(path, params) {
  const url = path + (params && params.toString() ? "?" + params.toString() : "");
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await res.json().catch(() => ({ message: "the server sent no JSON" }));
  if (!res.ok) throw new Error(body.message || res.statusText);
  return body;
}

function filterParams(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  for (const f of FACETS) for (const v of s[f]) p.append(f, v);
  return p;
}

function placeLine(h) {
  const bits = [];
  if (h.city && h.city.length) bits.push(h.city.join(", "));
  if (h.country && h.country.length) bits.push(h.country.join(", "));
  if (h.year != null) bits.push(String(h.year));
  return bits;
}

function metaLine(lang, bits, extra) {
  const m = el("div", { class: "meta" }, el("span", { class: "lang", title: "language" }, lang || "und"));
  for (const b of bits) m.append(el("span", {}, b));
  if (extra) m.append(el("span", {}, extra));
  return m;
}

// ---- facets ---------------------------------------------------------------

function renderFacets(s, counts) {
  for (const f of FACETS) {
    const ul = document.querySelector(`.facet[data-facet="${f}"] ul`);
    ul.replaceChildren();
    const values = (counts && counts[f]) || [];
    const shown = new Set(values.map((v) => v.value));
    // selected values stay listed (to be removed) even when not counted
    const items = values.concat(s[f].filter((v) => !shown.has(v)).map((v) => ({ value: v, count: 0 })));
    if (!items.length) ul.append(el("li", { class: "none" }, "—"));
    for (const v of items) {
      const on = s[f].includes(v.value);
      const label = `${v.value}, ${v.count} passage${v.count === 1 ? "" : "s"}`;
      ul.append(el("li", {}, el("button", {
        type: "button", "aria-pressed": String(on), "data-value": v.value, "aria-label": label,
        onclick: () => {
          const next = readState();
          next[f] = on ? next[f].filter((x) => x !== v.value) : next[f].concat([v.value]);
          next.page = 1;
          // keep keyboard focus on the value just toggled
          go(next).then(() => {
            const sel = `.facet[data-facet="${f}"] button[data-value="${CSS.escape(v.value)}"]`;
            const again = document.querySelector(sel);
            if (again) again.focus();
          });
        },
      }, el("span", { class: "value" }, v.value), el("span", { class: "count" }, String(v.count)))));
    }
  }
  $("#clear").hidden = !FACETS.some((f) => s[f].length);
}

// ---- views ----------------------------------------------------------------

async function renderSearch(s) {
  $("#doc").hidden = true;
  $("#hits").hidden = false;
  $("#facets").hidden = false;
  $("#hits").replaceChildren();
  $("#pager").hidden = true;
  document.title = s.q ? `${s.q} — repsearch` : "repsearch";
  const filters = FACETS.flatMap((f) => s[f]);
  if (!s.q) {
    status(filters.length ? "Type a query to see passages; counts below are for the filters chosen."
      : "Type a query to search the reports. Counts below are for the whole archive.");
    const r = await api("/api/facets", filterParams(s));
    renderFacets(s, r.facets);
    return;
  }
  status("Searching…");
  const p = filterParams(s);
  p.set("limit", String(PAGE_SIZE));
  p.set("offset", String((s.page - 1) * PAGE_SIZE));
  const r = await api("/api/search", p);
  renderFacets(s, r.facets);
  const pages = Math.max(1, Math.ceil(r.total_hits / PAGE_SIZE));
  const within = filters.length ? ` (${filters.join(", ")})` : "";
  if (!r.hits.length) {
    status(r.total_hits ? `No passages on page ${s.page}.` : `No passages match “${s.q}”${within}.`);
  } else {
    const first = (s.page - 1) * PAGE_SIZE + 1;
    status(`${first}–${first + r.hits.length - 1} of ${r.total_hits} passages matching “${s.q}”${within}`);
  }
  for (const h of r.hits) {
    const href = stateUrl({ doc: h.doc, q: s.q, p: h.passage });
    const title = h.title || h.doc;
    const li = el("li", { class: "hit", "data-doc": h.doc, "data-passage": String(h.passage) },
      el("h3", {}, el("a", { href, onclick: (e) => { e.preventDefault(); go({ doc: h.doc, q: s.q, p: String(h.passage) }); } }, title)),
      metaLine(h.lang, placeLine(h), `${h.doc} · passage ${h.passage}`),
      el("p", { class: "passage" }, highlighted(h.highlight)));
    $("#hits").append(li);
  }
  if (r.total_hits > PAGE_SIZE) {
    $("#pager").hidden = false;
    $("#page").textContent = `Page ${s.page} of ${pages}`;
    $("#prev").disabled = s.page <= 1;
    $("#next").disabled = s.page >= pages;
  }
}

async function renderDoc(s) {
  $("#hits").hidden = true;
  $("#hits").replaceChildren();
  $("#pager").hidden = true;
  $("#facets").hidden = true;
  const art = $("#doc");
  art.hidden = false;
  art.replaceChildren();
  status("Loading the document…");
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  const d = await api("/api/doc/" + s.doc.split("/").map(encodeURIComponent).join("/"), p);
  document.title = `${d.title || d.doc} — repsearch`;
  const back = el("a", { href: stateUrl({ q: s.q, page: 1, country: [], city: [], year: [] }),
    onclick: (e) => { e.preventDefault(); inApp ? history.back() : go({ q: s.q, page: 1, country: [], city: [], year: [] }); } },
  "← Back to results");
  art.append(back, el("h2", {}, d.title || d.doc),
    metaLine(d.lang, placeLine(d), `${d.doc} · ${d.total_passages} passages`));
  for (const ps of d.passages) {
    const cur = s.p != null && String(ps.passage) === String(s.p);
    art.append(el("section", { id: `p-${ps.passage}`, class: "doc-passage" + (cur ? " current" : ""), tabindex: cur ? "-1" : null },
      el("div", { class: "pnum" }, `#${ps.passage}`, ps.lang !== d.lang ? ` · ${ps.lang}` : ""),
      el("p", { class: "passage" }, highlighted(ps.highlight))));
  }
  if (d.truncated) art.append(el("p", { class: "meta" }, `Only the first ${d.passages.length} passages are shown.`));
  status("");
  const target = s.p != null && document.getElementById(`p-${s.p}`);
  if (target) { target.scrollIntoView({ block: "start" }); target.focus({ preventScroll: true }); }
}

async function render() {
  const s = readState();
  $("#q").value = s.q;
  $("#main").classList.toggle("doc-view", !!s.doc);
  try {
    if (s.doc) await renderDoc(s); else await renderSearch(s);
  } catch (e) {
    status(`Error: ${e.message}`, true);
  }
}

// ---- events ---------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  $("#search").addEventListener("submit", (e) => {
    e.preventDefault();
    const s = readState();
    go({ q: $("#q").value.trim(), page: 1, country: s.doc ? [] : s.country, city: s.doc ? [] : s.city, year: s.doc ? [] : s.year });
  });
  $("#prev").addEventListener("click", () => { const s = readState(); s.page = Math.max(1, s.page - 1); go(s); $("#results").focus(); });
  $("#next").addEventListener("click", () => { const s = readState(); s.page += 1; go(s); $("#results").focus(); });
  $("#clear").addEventListener("click", () => { const s = readState(); for (const f of FACETS) s[f] = []; s.page = 1; go(s); });
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      $("#q").focus();
      $("#q").select();
    }
  });
  window.addEventListener("popstate", render);
  render();
  if (!readState().doc && !readState().q) $("#q").focus();
});
