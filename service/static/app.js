// creatormatch web page: keyword search or brief matching, creator detail with lookalikes, a CSV shortlist.
"use strict";

// Followers where the export gives them, else median views per video (YouTube trending exports), else unknown.
function reachText(result) {
  if (result.followers !== null && result.followers !== undefined) return `${result.followers.toLocaleString("en")} followers`;
  if (result.reach !== null && result.reach !== undefined) return `${result.reach.toLocaleString("en")} median views`;
  return "reach unknown";
}

const $ = (selector) => document.querySelector(selector);
const shortlist = new Map(); // creator_id -> result
let lastResults = new Map();

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                                                           "'": "&#39;"}[c]));
}

function highlight(text, terms) {
  let html = escapeHtml(text);
  const words = [...new Set(terms || [])].filter((t) => t && t.length > 1).sort((a, b) => b.length - a.length);
  for (const word of words) {
    // Whole words only: "art" must not light up inside "partnered".
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped})(?![\\p{L}\\p{N}])`, "giu");
    html = html.replace(pattern, "<mark>$1</mark>");
  }
  return html;
}

function headers() {
  const key = $("#api_key").value.trim();
  return key ? {"X-API-Key": key} : {};
}

function checked(name) {
  return [...document.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
}

function list(id) {
  return $(id).value.split(",").map((v) => v.trim()).filter(Boolean);
}

function filters() {
  const f = {};
  const platforms = checked("platforms");
  if (platforms.length) f.platforms = platforms;
  const tiers = checked("tiers");
  if (tiers.length) f.tiers = tiers;
  if (list("#countries").length) f.countries = list("#countries");
  if (list("#languages").length) f.languages = list("#languages");
  if ($("#min_credibility").value) f.min_credibility = Number($("#min_credibility").value);
  if ($("#active_within_days").value) f.active_within_days = Number($("#active_within_days").value);
  return f;
}

async function call(url, options = {}) {
  const response = await fetch(url, {...options, headers: {...headers(), ...(options.headers || {})}});
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = Array.isArray(body.detail)
      ? body.detail.map((d) => `${d.field}: ${d.message}`).join("; ") : (body.detail || response.statusText);
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

async function run(event) {
  event?.preventDefault();
  const mode = document.querySelector("input[name=mode]:checked").value;
  const results = $("#results");
  results.innerHTML = '<p class="hint">Searching…</p>';
  try {
    let body;
    if (mode === "search") {
      const q = $("#q").value.trim();
      if (!q) { results.innerHTML = '<p class="hint">Type keywords, hashtags or a phrase.</p>'; return; }
      const params = new URLSearchParams({q, limit: "20"});
      for (const [key, value] of Object.entries(filters())) {
        params.set(key, Array.isArray(value) ? value.join(",") : String(value));
      }
      body = await call(`/search?${params}`);
    } else {
      const text = $("#brief").value.trim();
      if (!text) { results.innerHTML = '<p class="hint">Describe the brand and the campaign.</p>'; return; }
      body = await call("/match", {method: "POST", headers: {"Content-Type": "application/json"},
                                   body: JSON.stringify({brief: {text}, filters: filters(), limit: 20})});
    }
    render(body, mode === "search" ? $("#q").value : $("#brief").value);
  } catch (error) {
    results.innerHTML = `<p class="error">${escapeHtml(error.message)}</p>`;
  }
}

function percent(value) {
  return value === null || value === undefined ? "n/a" : `${Math.round(value * 100)} %`;
}

function card(result, query) {
  const words = query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1);
  const evidence = result.evidence.map((e) => `<li>${highlight(e.caption, [...e.matched_terms, ...words])}</li>`);
  const cautions = result.reasons.filter((r) => r.startsWith("caution"));
  const reasons = result.reasons.filter((r) => !r.startsWith("caution"));
  const inList = shortlist.has(result.creator_id);
  return `<article class="card" data-creator="${escapeHtml(result.creator_id)}">
    <h3><span>@${escapeHtml(result.handle)}</span><span>${result.score.toFixed(3)}</span></h3>
    <div class="meta">${escapeHtml(result.platform)} · ${reachText(result)} ·
      ${escapeHtml(result.tier || "tier unknown")}${result.country ? " · " + escapeHtml(result.country) : ""}</div>
    <div><span class="pill">engagement vs tier ${percent(result.engagement_vs_tier)}</span>
      <span class="pill">credibility ${percent(result.audience_credibility)}</span>
      <span class="pill ${result.authenticity_score < 0.6 ? "warn" : ""}">authenticity
        ${percent(result.authenticity_score)}</span></div>
    <ul class="evidence">${evidence.join("")}</ul>
    <ul class="reasons">${reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}
      ${cautions.map((r) => `<li class="error">${escapeHtml(r)}</li>`).join("")}</ul>
    <div class="actions">
      <button type="button" class="add" ${inList ? "disabled" : ""}>${inList ? "In shortlist" : "Add to shortlist"}</button>
      <button type="button" class="secondary open">Details</button>
    </div>
  </article>`;
}

function render(body, query) {
  lastResults = new Map(body.results.map((r) => [r.creator_id, r]));
  const facets = body.facets
    ? Object.entries(body.facets).map(([name, counts]) => `<div class="facet"><strong>${escapeHtml(name)}</strong>: `
        + Object.entries(counts).slice(0, 8).map(([k, v]) => `${escapeHtml(k)} ${v}`).join(", ") + "</div>").join("")
    : "";
  $("#facets").innerHTML = facets;
  const counted = body.keyword_matches === undefined ? `${body.total_candidates} candidates`
    : `${body.keyword_matches} creators use these words · ${body.total_candidates} ranked`;
  $("#results").innerHTML = `<p class="hint">${counted} · ${body.took_ms} ms</p>`
    + (body.results.length ? body.results.map((r) => card(r, query)).join("")
                           : '<p class="hint">No creator matches; loosen the filters.</p>');
}

async function openCreator(creatorId) {
  const panel = $("#detail");
  panel.hidden = false;
  panel.innerHTML = '<p class="hint">Loading…</p>';
  try {
    const [profile, similar] = await Promise.all([
      call(`/creators/${encodeURIComponent(creatorId)}`),
      call(`/creators/${encodeURIComponent(creatorId)}/similar?limit=5`),
    ]);
    const components = lastResults.get(creatorId)?.components || {};
    const rows = Object.entries(components).map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${v.toFixed(2)}</td></tr>`);
    const features = ["engagement_rate", "engagement_vs_tier", "comments_to_likes", "posts_per_month",
      "days_since_last_post", "disclosure_rate", "interactive_share", "niche_focus", "audience_credibility",
      "authenticity_score", "authenticity_confidence"]
      .map((k) => `<tr><td>${k}</td><td>${typeof profile[k] === "number" ? profile[k].toFixed(3) : escapeHtml(profile[k] ?? "n/a")}</td></tr>`);
    const flags = (profile.authenticity_reasons || []).map((r) => `<li class="error">${escapeHtml(r)}</li>`).join("");
    panel.innerHTML = `<h2>@${escapeHtml(profile.handle)}</h2>
      <p class="meta">${escapeHtml(profile.bio || "")}</p>
      ${rows.length ? `<h3>Score breakdown</h3><table>${rows.join("")}</table>` : ""}
      <h3>Features</h3><table>${features.join("")}</table>
      ${flags ? `<ul class="reasons">${flags}</ul>` : ""}
      <h3>Lookalikes</h3>
      <ol id="lookalikes">${similar.results.map((r) => `<li>@${escapeHtml(r.handle)} (${escapeHtml(r.platform)},
        ${reachText(r)})</li>`).join("")}</ol>`;
  } catch (error) {
    panel.innerHTML = `<p class="error">${escapeHtml(error.message)}</p>`;
  }
}

function renderShortlist() {
  $("#shortlist-count").textContent = String(shortlist.size);
  $("#shortlist-items").innerHTML = [...shortlist.values()].map((r) => `<li data-creator="${escapeHtml(r.creator_id)}">
    @${escapeHtml(r.handle)} <button type="button" class="secondary remove" aria-label="Remove">×</button></li>`).join("");
  $("#export").disabled = shortlist.size === 0;
}

function csvCell(value) {
  const text = Array.isArray(value) ? value.join("; ") : String(value ?? "");
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function exportCsv() {
  const columns = ["creator_id", "handle", "platform", "followers", "tier", "country", "score", "engagement_vs_tier",
                   "audience_credibility", "authenticity_score", "reasons"];
  const lines = [columns.join(",")].concat([...shortlist.values()].map((r) => columns.map((c) => csvCell(r[c])).join(",")));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], {type: "text/csv"}));
  link.download = "shortlist.csv";
  document.body.appendChild(link);
  link.click();
  link.remove();
}

document.addEventListener("DOMContentLoaded", () => {
  $("#query-form").addEventListener("submit", run);
  for (const radio of document.querySelectorAll("input[name=mode]")) {
    radio.addEventListener("change", () => {
      const brief = radio.value === "brief" && radio.checked;
      $("#q").hidden = brief;
      $("#brief").hidden = !brief;
      $("#go").textContent = brief ? "Match" : "Search";
    });
  }
  for (const input of document.querySelectorAll("#filters input:not(#api_key)")) {
    input.addEventListener("change", () => { if ($("#q").value || $("#brief").value) run(); });
  }
  $("#results").addEventListener("click", (event) => {
    const cardElement = event.target.closest(".card");
    if (!cardElement) return;
    const creatorId = cardElement.dataset.creator;
    if (event.target.classList.contains("add")) {
      shortlist.set(creatorId, lastResults.get(creatorId));
      event.target.disabled = true;
      event.target.textContent = "In shortlist";
      renderShortlist();
    } else if (event.target.classList.contains("open")) {
      openCreator(creatorId);
    }
  });
  $("#shortlist-items").addEventListener("click", (event) => {
    if (!event.target.classList.contains("remove")) return;
    shortlist.delete(event.target.closest("li").dataset.creator);
    renderShortlist();
  });
  $("#export").addEventListener("click", exportCsv);
});
