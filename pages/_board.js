// 全市总览's board (weakorg.charts.Board) drawn as SVG in the page, without ECharts' code: a new tab of the
// leader's first screen loads no chart library (issue 14). It draws the part of ECharts' option the board's
// bar charts use: titles, legends, plot areas in px, a category axis and a value axis, bar series (stacked or
// not) with their colours, labels and tooltips, and the 暂无数据 text. Every text is set as text (textContent),
// never as markup. A click on a bar sends its series and index to Python (weakorg.drill.board_selection), as
// ECharts' selection did; the PNG button saves the board as drawn, under the name Python gave it.

const NS = "http://www.w3.org/2000/svg";
const TEXT = "#464646", AXIS = "#6E7079", SPLIT = "#E0E6F1";
const FONT_SIZE = 12, ROW = 22, SWATCH_W = 16, SWATCH_H = 12, MARGIN = 16;
// What a screen reader says on entering a chart's bars or the legend: one Tab stop each, the arrow keys within.
const BARS_HELP = "（用方向键选择柱形，按回车键进入下一层）", LEGEND_LABEL = "图例（用方向键选择类别，按回车键显示或隐藏）";
let measurer = null;

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function text(parent, x, y, value, attrs) {
  const node = el("text", { x, y, "font-size": FONT_SIZE, fill: AXIS, ...attrs }, parent);
  node.textContent = String(value);
  return node;
}

function width(value, size, font) {
  measurer = measurer || document.createElement("canvas").getContext("2d");
  measurer.font = `${size}px ${font}`;
  return measurer.measureText(String(value)).width;
}

function cut(value, max, size, font) {
  // A label longer than ``max`` px ends in an ellipsis (its bar's tooltip names it in full), as ECharts' truncate.
  let s = String(value);
  if (!max || width(s, size, font) <= max) return s;
  while (s.length > 1 && width(s + "…", size, font) > max) s = s.slice(0, -1);
  return s + "…";
}

function step(max, minInterval) {
  // The value axis's step, as ECharts chooses it: about five steps to the top, rounded to 1, 2, 3, 5 or 10 times
  // a power of ten (at least minInterval).
  const rough = Math.max(max / 5, 1e-9);
  const power = Math.pow(10, Math.floor(Math.log10(rough))), f = rough / power;
  const nice = (f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10) * power;
  return Math.max(nice, minInterval || 0);
}

function value(item) {
  const v = item !== null && typeof item === "object" ? item.value : item;
  return typeof v === "number" && isFinite(v) ? v : 0;
}

function tipText(series, item, v) {
  const tip = item && item.tooltip && item.tooltip.formatter;
  return tip ? String(tip) : `${series.name}：${v}`;
}

function legend(svg, spec, series, width_, font, hidden, again) {
  // A legend item hides or shows its series, in every chart of the board (as ECharts' legend did). A legend that
  // repeats an earlier one (the same names: its items do what the first's do) is drawn for the eye only.
  const colors = Object.fromEntries(series.map((s) => [s.name, (s.itemStyle || {}).color]));
  let x = spec.left || 0, y = spec.top || 0;
  const right = width_ - (spec.right || 0), gap = spec.itemGap || 8;
  const box = el("g", again ? { "aria-hidden": "true" } : { class: "keys", role: "group", "aria-label": LEGEND_LABEL }, svg);
  for (const name of spec.data || []) {
    const w = SWATCH_W + 5 + width(name, FONT_SIZE, font), off = hidden.has(name);
    if (x > (spec.left || 0) && x + w > right) { x = spec.left || 0; y += ROW; }
    // a button to the keyboard too: one Tab stop for the legend, the arrow keys to its items, Enter or Space toggles
    const item = el("g", { class: "legend", "data-name": name }, box);
    if (!again) for (const [k, v] of Object.entries({ tabindex: -1, role: "button", "aria-pressed": String(!off),
      "aria-label": name })) item.setAttribute(k, v);
    el("rect", { x, y: y + 2, width: w, height: ROW - 4, fill: "transparent" }, item); // the whole item clicks
    el("rect", { x, y: y + 4, width: SWATCH_W, height: SWATCH_H, rx: 3, fill: off ? SPLIT : colors[name] || AXIS }, item);
    text(item, x + SWATCH_W + 5, y + 14, name, { fill: off ? "#B0B0B0" : TEXT });
    x += w + gap;
  }
}

function grid(layers, option, i, width_, font, hidden) {
  const { back: svg, front } = layers;
  const title = ((option.title || [])[i] || {}).text || "";
  const hits = el("g", { class: "keys", role: "group", "aria-label": title + BARS_HELP }, layers.bars);
  const g = option.grid[i], xAxis = option.xAxis[i], yAxis = option.yAxis[i];
  const series = option.series
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => (s.xAxisIndex || 0) === i && !hidden.has(s.name));
  const across = yAxis.type === "category"; // bars across (the criteria), else up
  const cat = across ? yAxis : xAxis, val = across ? xAxis : yAxis;
  const labels = cat.data || [];
  const x0 = g.left, x1 = width_ - g.right, y0 = g.top, y1 = g.top + g.height;
  // stack ends per category: one running sum per stack name, an unstacked series on its own
  const ends = {}, base = (key, j) => ((ends[key] = ends[key] || [])[j] || 0);
  let top = 0;
  for (const { s, index } of series)
    (s.data || []).forEach((item, j) => {
      const key = s.stack || `own${index}`;
      (ends[key] = ends[key] || [])[j] = base(key, j) + Math.max(value(item), 0);
      top = Math.max(top, ends[key][j]);
    });
  // room beyond the longest bar for the label at its end (18 px up, or the widest label across)
  const said = series.flatMap(({ s }) => (s.data || []).filter((item) => item && item.label && item.label.show));
  const plot = across ? x1 - x0 : y1 - y0;
  const room = !said.length ? 0 : across ? 8 + Math.max(...said.map((item) => width(item.label.formatter, FONT_SIZE, font))) : 18;
  const reach = room && room < plot ? (top * plot) / (plot - room) : top;
  const unit = step(reach, val.minInterval), high = Math.max(unit * Math.ceil(reach / unit), unit);
  // value axis: split lines and figures
  for (let t = 0; t <= high + 1e-9; t += unit) {
    const figure = Number.isInteger(unit) ? String(Math.round(t)) : String(+t.toFixed(6));
    if (across) {
      const x = x0 + ((x1 - x0) * t) / high;
      el("line", { x1: x, x2: x, y1: y0, y2: y1, stroke: SPLIT }, svg);
      text(svg, x, y1 + 16, figure, { "text-anchor": "middle" });
    } else {
      const y = y1 - ((y1 - y0) * t) / high;
      el("line", { x1: x0, x2: x1, y1: y, y2: y, stroke: SPLIT }, svg);
      text(svg, x0 - 8, y + 4, figure, { "text-anchor": "end" });
    }
  }
  if (val.name) {
    if (across) text(svg, (x0 + x1) / 2, y1 + (val.nameGap || 28) + 4, val.name, { "text-anchor": "middle" });
    else text(svg, x0, y0 - 12, val.name);
  }
  // category axis: its line, the labels (every one, or as many as fit), its name
  const n = Math.max(labels.length, 1), band = ((across ? y1 - y0 : x1 - x0) / n);
  const label = cat.axisLabel || {}, size = label.fontSize || FONT_SIZE, r = across ? 0 : label.rotate || 0;
  // a tilted name goes no lower than the axis's own name; then every name, or every k-th, so that none collides
  const room_ = across || !r ? label.width : Math.min(label.width || Infinity, ((cat.nameGap || 30) - 14) / Math.sin((r * Math.PI) / 180));
  const longest = Math.max(0, ...labels.map((name) => width(cut(name, room_, size, font), size, font)));
  const need = across ? size * 1.3 : r ? (size * 1.3) / Math.sin((r * Math.PI) / 180) : longest + 8;
  const every = Math.max(1, Math.ceil(need / band));
  const at = (j) => (across ? (cat.inverse ? y0 + band * (j + 0.5) : y1 - band * (j + 0.5)) : x0 + band * (j + 0.5));
  if (across) el("line", { x1: x0, x2: x0, y1: y0, y2: y1, stroke: AXIS }, svg);
  else el("line", { x1: x0, x2: x1, y1: y1, y2: y1, stroke: AXIS }, svg);
  labels.forEach((name, j) => {
    if (j % every) return;
    const shown = cut(name, room_, size, font);
    let node;
    if (across) {
      node = text(svg, x0 - 8, at(j) + 4, shown, { "text-anchor": "end", "font-size": size });
    } else {
      const x = at(j), y = y1 + (r ? 10 : 16);
      node = text(svg, x, y, shown, { "text-anchor": r ? "end" : "middle", "font-size": size });
      if (r) node.setAttribute("transform", `rotate(${-r} ${x} ${y - 4})`);
    }
    if (shown !== String(name)) node.tip = String(name); // a name cut short: said in full on hover
  });
  if (cat.name && !across) text(svg, (x0 + x1) / 2, y1 + (cat.nameGap || 30) + 8, cat.name, { "text-anchor": "middle" });
  // bars, bottom of each stack first, each with its tooltip; their labels on top of everything
  const thick = Math.min(band * 0.6, 48), starts = {}, marks = [];
  for (const { s, index } of series)
    (s.data || []).forEach((item, j) => {
      const key = s.stack || `own${index}`, v = Math.max(value(item), 0);
      const from = ((starts[key] = starts[key] || [])[j] || 0), to = from + v;
      starts[key][j] = to;
      const color = (item && item.itemStyle && item.itemStyle.color) || (s.itemStyle || {}).color || AXIS;
      const scale = (t) => (across ? x0 + ((x1 - x0) * t) / high : y1 - ((y1 - y0) * t) / high);
      const box = across
        ? { x: scale(from), y: at(j) - thick / 2, width: scale(to) - scale(from), height: thick }
        : { x: at(j) - thick / 2, y: scale(to), width: thick, height: scale(from) - scale(to) };
      if (v > 0) {
        // reached with Tab and opened with Enter or Space as with a click; its tooltip said to a screen reader
        const said = tipText(s, item, v);
        el("rect", { ...box, fill: color, "data-series": index, "data-index": j, tabindex: -1, role: "button",
          "aria-label": said.replace(/\n/g, "，") }, hits).tip = said;
      }
      const spec = item && item.label;
      if (spec && spec.show && spec.formatter !== undefined) {
        const right = spec.position === "right";
        // a label wider than its bar's band (a province's hundred units) would cover the next: its tooltip says it
        if (!right && width(spec.formatter, FONT_SIZE, font) > band) return;
        const x = right ? box.x + box.width + 5 : box.x + box.width / 2, y = right ? box.y + box.height / 2 + 4 : box.y - 5;
        marks.push([x, y, spec.formatter, { "text-anchor": right ? "start" : "middle", fill: spec.color || TEXT }]);
      }
    });
  for (const [x, y, v, attrs] of marks) text(front, x, y, v, attrs);
}

function draw(root, data, select) {
  const option = data.option, width_ = Math.max(root.clientWidth, 320);
  const hidden = (root.hidden_ = root.hidden_ || new Set()); // the legend's hidden names, kept across redraws
  const font = (option.textStyle && option.textStyle.fontFamily) || "sans-serif";
  root.dataset.width = String(width_);
  const svg = el("svg", { class: "chart", width: width_, height: data.height, viewBox: `0 0 ${width_} ${data.height}`, role: "group",
    "aria-label": data.alt || "", "font-family": font, xmlns: NS });
  // three layers: axes and texts, then the bars over their split lines, then the bars' labels over the bars
  const layers = { back: el("g", {}, svg), bars: el("g", { class: "bars" }, svg), front: el("g", {}, svg) };
  for (const t of option.title || [])
    text(layers.back, t.left || 0, (t.top || 0) + 18, t.text, { "font-size": (t.textStyle || {}).fontSize || 15, fill: TEXT });
  (option.grid || []).forEach((_, i) => grid(layers, option, i, width_, font, hidden));
  const legends = new Set();
  for (const spec of option.legend || []) {
    const names = JSON.stringify(spec.data || []);
    legend(layers.back, spec, option.series, width_, font, hidden, legends.has(names));
    legends.add(names);
  }
  for (const group of svg.querySelectorAll(".keys")) group.querySelector("[tabindex]")?.setAttribute("tabindex", "0");
  for (const g of option.graphic || [])
    text(layers.back, width_ / 2, (g.top || 0) + 5, (g.style || {}).text || "", { "text-anchor": "middle", fill: AXIS });
  const tip = document.createElement("div");
  tip.className = "tip";
  const act = (target) => {
    const bar = target.closest("[data-series]"), item = target.closest(".legend");
    if (bar) select("select", { series_index: +bar.dataset.series, data_index: +bar.dataset.index });
    if (item) {
      const name = item.dataset.name, focused = document.activeElement === item;
      hidden.has(name) ? hidden.delete(name) : hidden.add(name);
      draw(root, data, select);
      if (focused) rove(root.querySelector(`.legend[data-name="${CSS.escape(name)}"][tabindex]`)); // the keyboard stays
    }
  };
  svg.addEventListener("click", (e) => act(e.target));
  svg.addEventListener("keydown", (e) => {
    // a stacked chart's segments bar by bar (one unit's 农村, 街道社区, …, then the next unit's), as the eye reads them
    const order = (a, b) => (+a.dataset.index - +b.dataset.index) || (+a.dataset.series - +b.dataset.series);
    const found = [...(e.target.closest(".keys")?.querySelectorAll("[tabindex]") || [])];
    const items = found[0]?.dataset.index === undefined ? found : found.sort(order), at = items.indexOf(e.target);
    const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    if (at >= 0 && Object.hasOwn(to, e.key)) {
      e.preventDefault(); // the arrows would scroll the page
      rove(items[Math.min(Math.max(to[e.key], 0), items.length - 1)]);
      return;
    }
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault(); // Space would scroll the page
    act(e.target);
  });
  // the tooltip: the bar's lines (or a name cut short) in a box beside the pointer, as ECharts showed them
  const show = (said, x, y) => {
    if (!said) { tip.style.display = "none"; return; }
    tip.textContent = said;
    tip.style.display = "block";
    const box = root.getBoundingClientRect();
    const left = x + 14 + tip.offsetWidth > box.width ? x - 14 - tip.offsetWidth : x + 14;
    tip.style.left = `${Math.max(0, left)}px`;
    tip.style.top = `${Math.max(0, y - tip.offsetHeight - 10)}px`;
  };
  svg.addEventListener("pointermove", (e) => {
    const box = root.getBoundingClientRect();
    show(e.target.tip, e.clientX - box.left, e.clientY - box.top);
  });
  svg.addEventListener("pointerleave", () => { tip.style.display = "none"; });
  // a bar reached with the keyboard says its tooltip by its end, as the pointer would
  svg.addEventListener("focusin", (e) => {
    const box = root.getBoundingClientRect(), bar = e.target.getBoundingClientRect();
    show(e.target.tip, bar.right - box.left, bar.top - box.top + 12);
  });
  svg.addEventListener("focusout", () => { tip.style.display = "none"; });
  root.replaceChildren(svg, saveButton(svg, option), tip);
}

function rove(item) {
  // The one item of its group Tab reaches (the last one the arrows chose), focused.
  if (!item) return;
  for (const other of item.closest(".keys").querySelectorAll("[tabindex]")) other.setAttribute("tabindex", "-1");
  item.setAttribute("tabindex", "0");
  item.focus();
}

function saveButton(svg, option) {
  // The PNG button (ECharts' toolbox did it before): the board as drawn, on white with a margin, at twice its size.
  const save = ((option.toolbox || {}).feature || {}).saveAsImage || {};
  const button = document.createElement("button");
  button.type = "button";
  button.className = "save";
  button.title = save.title || "";
  button.setAttribute("aria-label", save.title || "");
  const icon = el("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" }, button);
  el("path", { d: "M8 2v8M4.5 6.5 8 10l3.5-3.5M3 13h10", fill: "none", stroke: AXIS, "stroke-width": 1.5 }, icon);
  button.addEventListener("click", () => {
    const ratio = save.pixelRatio || 2, w = +svg.getAttribute("width"), h = +svg.getAttribute("height");
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = (w + 2 * MARGIN) * ratio;
      canvas.height = (h + 2 * MARGIN) * ratio;
      const context = canvas.getContext("2d");
      context.scale(ratio, ratio);
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, w + 2 * MARGIN, h + 2 * MARGIN);
      context.drawImage(image, MARGIN, MARGIN);
      canvas.toBlob((blob) => {
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = `${save.name || "图表"}.png`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  });
  return button;
}

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let root = parentElement.querySelector(".weakorg-board");
  if (!root) {
    root = document.createElement("div");
    root.className = "weakorg-board";
    parentElement.appendChild(root);
  }
  const redraw = () => draw(root, data, setTriggerValue);
  redraw();
  const observer = new ResizeObserver(() => {
    if (root.clientWidth && String(Math.max(root.clientWidth, 320)) !== root.dataset.width) redraw();
  });
  observer.observe(root);
  return () => observer.disconnect();
}
