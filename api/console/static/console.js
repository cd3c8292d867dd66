// supportgraph console: live inbox over SSE and hand-drawn SVG charts. No framework.
"use strict";

function liveInbox() {
  const rows = document.getElementById("inbox-rows");
  const status = document.getElementById("live-status");
  if (!rows || !window.EventSource) return;
  let refreshing = false, again = false;
  async function refresh() {
    if (refreshing) { again = true; return; }  // one more after this one: never miss a change
    refreshing = true;
    try {
      const answer = await fetch("/console/inbox/rows" + window.location.search,
                                 { credentials: "same-origin" });
      if (answer.ok) {
        rows.innerHTML = await answer.text();
        status.textContent = "Inbox updated at " + new Date().toLocaleTimeString();
      }
    } finally {
      refreshing = false;
      if (again) { again = false; refresh(); }
    }
  }
  const source = new EventSource("/console/events");
  source.addEventListener("inbox", refresh);
  source.addEventListener("ready", () => { status.textContent = "Live updates on"; });
  window.addEventListener("beforeunload", () => source.close());
}

function liveThread() {
  // The conversation, timeline and status follow the thread; forms being typed stay as they are.
  if (!window.EventSource) return;
  const source = new EventSource("/console/events");
  source.addEventListener("inbox", async () => {
    const answer = await fetch(window.location.pathname, { credentials: "same-origin" });
    if (!answer.ok) return;
    const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
    for (const id of ["conversation", "timeline", "thread-status"]) {
      const now = fresh.getElementById(id), shown = document.getElementById(id);
      if (now && shown) shown.innerHTML = now.innerHTML;
    }
  });
  window.addEventListener("beforeunload", () => source.close());
}

const SVG = "http://www.w3.org/2000/svg";

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function drawChart(plot, data) {
  const points = data.points;
  const width = 720, height = 220, left = 44, bottom = 28, top = 12;
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, "aria-hidden": "true" });
  const most = Math.max(1, ...points.map((p) => p.turns));
  const slowest = Math.max(0.001, ...points.map((p) => p.latency_avg));
  const step = (width - left - 10) / Math.max(1, points.length);
  const y = (v, max) => height - bottom - (v / max) * (height - bottom - top);
  svg.append(el("line", { x1: left, y1: height - bottom, x2: width - 8, y2: height - bottom,
                          stroke: "#99a2b2" }));
  svg.append(el("text", { x: 4, y: top + 8, "font-size": 11, fill: "#5b6473" }, String(most)));
  svg.append(el("text", { x: 4, y: height - bottom, "font-size": 11, fill: "#5b6473" }, "0"));
  points.forEach((p, i) => {
    const x = left + i * step;
    const bar = Math.max(1, step - 2);
    if (p.turns) {
      svg.append(el("rect", { x, y: y(p.turns, most), width: bar,
                              height: height - bottom - y(p.turns, most), fill: "#9bb9e6" }));
    }
    if (p.blocked) {
      svg.append(el("rect", { x, y: y(p.blocked, most), width: bar,
                              height: height - bottom - y(p.blocked, most), fill: "#d9776c" }));
    }
  });
  const line = points.map((p, i) =>
    `${left + i * step + step / 2},${y(p.latency_avg, slowest)}`).join(" ");
  svg.append(el("polyline", { points: line, fill: "none", stroke: "#1d2330", "stroke-width": 1.5 }));
  const first = new Date(points[0].at * 1000), last = new Date(points[points.length - 1].at * 1000);
  svg.append(el("text", { x: left, y: height - 8, "font-size": 11, fill: "#5b6473" },
                first.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
  svg.append(el("text", { x: width - 60, y: height - 8, "font-size": 11, fill: "#5b6473" },
                last.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
  plot.replaceChildren(svg);
  const total = points.reduce((n, p) => n + p.turns, 0);
  const blocked = points.reduce((n, p) => n + p.blocked, 0);
  plot.setAttribute("aria-label",
    `${total} turns, ${blocked} blocked, slowest average ${slowest.toFixed(2)} s`);
  const legend = document.createElement("p");
  legend.className = "legend";
  legend.textContent = `Bars: turns (blue) and guardrail blocks (red), ${total} and ${blocked} ` +
    `in all. Line: average latency, up to ${slowest.toFixed(2)} s.`;
  plot.after(legend);
}

async function charts() {
  for (const figure of document.querySelectorAll("figure.chart")) {
    const answer = await fetch(`/console/metrics/series?window=${figure.dataset.window}`,
                               { credentials: "same-origin" });
    if (answer.ok) drawChart(figure.querySelector(".plot"), await answer.json());
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  if (page === "inbox") liveInbox();
  if (page === "thread") liveThread();
  if (page === "metrics") charts();
});
