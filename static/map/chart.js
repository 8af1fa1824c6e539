// Bar charts of grouped counts with uPlot (vendored, no dependencies); the chart is an image with a text
// alternative, the list next to it carries the same numbers for screen readers and keyboards.

import uPlot from "../vendor/uplot-1.6.32/uPlot.esm.js";
import { el } from "./dom.js";
import * as format from "./format.js";

/** A bar chart of `values` (one colour per bar) into `container`; returns the uPlot instance. */
export function barChart(container, { labels, values, colours, title }) {
  const xs = values.map((_, i) => i);
  const box = el("div", { class: "chart", role: "img",
    "aria-label": `${title}: ${labels.map((l, i) => `${l} ${format.number(values[i])}`).join("; ")}` });
  container.appendChild(box);
  const width = Math.max(200, Math.min(container.clientWidth || 320, 480));
  return new uPlot({
    width, height: 150, legend: { show: false }, cursor: { show: false }, select: { show: false },
    scales: { x: { time: false, range: [-0.6, Math.max(values.length - 0.4, 0.4)] }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.1] } },
    axes: [
      { values: (u, splits) => splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined ? shorten(labels[i]) : "")), size: 34, gap: 2, font: "11px sans-serif" },
      { values: (u, splits) => splits.map((v) => format.number(v)), size: 50, font: "11px sans-serif" },
    ],
    series: [{}, {
      width: 0, fill: colours[0] || "#457b9d", points: { show: false },
      paths: uPlot.paths.bars({ size: [0.7, 60], disp: { fill: { unit: 3, values: () => colours } } }),
    }],
  }, [xs, values], box);
}

function shorten(text) { return text.length > 12 ? text.slice(0, 11) + "…" : text; }

/**
 * A line chart of one series over labelled steps (periods), with a dashed horizontal target line; `values` may
 * hold nulls (no value that period). Returns the uPlot instance (its .data is what is drawn).
 */
export function lineChart(container, { labels, values, target, title, unit }) {
  const xs = labels.map((_, i) => i);
  const described = labels.map((l, i) => `${l} ${values[i] === null ? "–" : format.number(values[i])}`).join("; ");
  const box = el("div", { class: "chart", role: "img", "aria-label": `${title}: ${described}` });
  container.appendChild(box);
  const width = Math.max(220, Math.min(container.clientWidth || 320, 480));
  const finite = values.filter((v) => v !== null && Number.isFinite(v)).concat(Number.isFinite(target) ? [target] : []);
  const low = finite.length ? Math.min(...finite) : 0;
  const high = finite.length ? Math.max(...finite) : 1;
  const pad = (high - low) * 0.1 || Math.abs(high) * 0.1 || 1;
  return new uPlot({
    width, height: 170, legend: { show: false }, cursor: { show: false }, select: { show: false },
    scales: { x: { time: false, range: [-0.3, Math.max(labels.length - 0.7, 0.7)] }, y: { range: () => [low - pad, high + pad] } },
    axes: [
      { values: (u, splits) => splits.map((i) => (Number.isInteger(i) && labels[i] !== undefined ? labels[i].slice(2) : "")), size: 30, font: "11px sans-serif", space: 34 },
      { values: (u, splits) => splits.map((v) => format.number(v)), size: 50, font: "11px sans-serif", label: unit || "", labelSize: 14, labelFont: "11px sans-serif" },
    ],
    series: [{},
      { label: title, stroke: "#1d3557", width: 2, points: { show: true, size: 6, fill: "#1d3557" }, spanGaps: false },
      { label: "target", stroke: "#b3261e", width: 1.5, dash: [6, 4], points: { show: false } }],
  }, [xs, values, labels.map(() => (Number.isFinite(target) ? target : null))], box);
}
