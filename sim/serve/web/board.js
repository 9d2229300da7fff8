// The salesflow board (docs/serve.md): plays one replication of a scenario from the flow
// events the server sends (POST /api/run), lead by lead, on a clock the facilitator
// drives; levers re-run the scenario on the same random numbers; two boards share the
// clock, the seed and the replication (the same buyers). Plain JavaScript, no library.
"use strict";

const HOURS_PER_WEEK = 168;
const TYPES = { arrive: 0, enter: 1, queue: 2, start: 3, end: 4, handoff: 5, exit: 6 };
const OUTCOMES = ["won", "lost", "disqualified", "abandoned", "open", "no_decision", "nurtured"];
const SOURCE_COLOURS = ["#1e88e5", "#43a047", "#8e24aa", "#f4511e", "#00acc1", "#6d4c41", "#fdd835", "#546e7a"];
const BOARD_COLOURS = { a: "#1565c0", b: "#e65100" };
const MAX_CARDS = 48;   // per area; beyond, "+N"

const ui = {
  t: 0,                  // simulated hours
  playing: false,
  secondsPerWeek: 3,
  compare: false,
  colourBy: "source",
  replication: 0,
  scenarios: [],
  presets: [],
  preset: null,
  lastFrame: 0,
  boards: {},
};

// ---------------------------------------------------------------- helpers

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

async function api(path, body) {
  const opts = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const res = await fetch(path, opts);
  let doc;
  try { doc = await res.json(); } catch (e) { doc = { error: "the server answered " + res.status, problems: [] }; }
  if (!res.ok) { const err = new Error(doc.error || ("HTTP " + res.status)); err.problems = doc.problems || []; err.status = res.status; throw err; }
  return doc;
}

function fmtWeeks(h) { return (h / HOURS_PER_WEEK).toFixed(1); }
function fmtValue(v, step) { return step < 1 ? v.toFixed(step < 0.1 ? 2 : (step < 0.5 ? 2 : 1)).replace(/\.?0+$/, "") || "0" : String(Math.round(v)); }
function qualityColour(q) { return `hsl(${Math.round(120 * Math.max(0, Math.min(1, q)))}, 65%, 45%)`; }

// ---------------------------------------------------------------- one board

function makeBoard(id) {
  const root = document.getElementById("board-" + id);
  const b = {
    id, root, file: null, baseSets: [], leverSets: new Map(), run: null, pending: 0,
    leads: new Map(), people: [], idx: 0, counts: null, inSystem: 0, quality: new Map(), charts: null,
  };
  const select = el("select", { class: "scenario", "aria-label": "scenario" });
  select.addEventListener("change", () => { b.baseSets = []; b.leverSets.clear(); loadBoard(b, select.value); });
  const title = el("span", { class: "board-title" });
  const meta = el("span", { class: "board-meta" });
  const levers = el("div", { class: "levers" });
  const setsInput = el("input", { class: "sets", type: "text", placeholder: "PATH=VALUE; PATH=VALUE (as --set)", "aria-label": "overrides" });
  const apply = el("button", { type: "button", class: "apply", text: "Apply" });
  const applySets = () => { b.baseSets = setsInput.value.split(";").map((s) => s.trim()).filter((s) => s); b.leverSets.clear(); rerun(b); };
  apply.addEventListener("click", applySets);
  setsInput.addEventListener("keydown", (e) => { if (e.key === "Enter") applySets(); });
  const summary = el("summary", { text: "Levers" });
  const leversBox = el("details", { class: "levers-box" }, summary, levers,
    el("div", { class: "sets-row" }, el("span", { text: "--set" }), setsInput, apply));
  const error = el("div", { class: "error", role: "alert" }); error.hidden = true;
  const busy = el("span", { class: "busy" });
  const counters = el("div", { class: "counters" });
  const warm = el("div", { class: "warmup-note" });
  const columns = el("div", { class: "columns" });
  const peopleEl = el("div", { class: "people" });
  root.append(el("div", { class: "board-head" }, select, title, meta, busy), leversBox, error, counters, warm, columns, peopleEl);
  Object.assign(b, { select, title, meta, summary, levers, setsInput, error, busy, counters, warm, columns, peopleEl });
  return b;
}

function fillScenarioSelect(b) {
  b.select.replaceChildren(...ui.scenarios.map((s) => el("option", { value: s.file, text: `${s.file} (${s.name})` })));
  if (b.file) b.select.value = b.file;
}

function requestBody(b) {
  const body = { file: b.file, set: [...b.baseSets, ...[...b.leverSets].map(([p, v]) => `${p}=${v}`)], replication: ui.replication };
  // Two boards: the same seed (the first board's), so that both meet the same buyers.
  if (b.id === "b" && ui.boards.a.run) body.seed = ui.boards.a.run.seed;
  return body;
}

async function loadBoard(b, file) {
  b.file = file;
  b.select.value = file;
  await rerun(b);
}

async function rerun(b) {
  if (!b.file) return;
  const ticket = ++b.pending;
  b.busy.textContent = "running...";
  b.setsInput.value = b.baseSets.join("; ");
  try {
    const run = await api("/api/run", requestBody(b));
    if (ticket !== b.pending) return;   // a newer request replaced this one
    b.error.hidden = true;
    setRun(b, run);
  } catch (e) {
    if (ticket !== b.pending) return;
    b.error.textContent = e.message;
    b.error.hidden = false;
  } finally {
    if (ticket === b.pending) b.busy.textContent = "";
  }
}

function setRun(b, run) {
  b.run = run;
  b.metrics = Object.fromEntries(run.metrics.map((m) => [m.name, m.value]));
  b.quality = new Map(run.leads.lead.map((id, i) => [id, run.leads.quality[i]]));
  b.title.textContent = run.name;
  b.meta.textContent = `seed ${run.seed}, replication ${run.replication}, ${fmtWeeks(run.horizon_h)} weeks, ${run.events.count} events`;
  buildLevers(b);
  buildColumns(b);
  b.charts = chartData(run);
  resetState(b);
  advance(b, ui.t);
  render();
}

function buildLevers(b) {
  const run = b.run;
  b.summary.textContent = `Levers (${run.levers.length})` + (b.leverSets.size ? `: ${b.leverSets.size} moved` : "");
  b.levers.replaceChildren(...run.levers.map((l) => {
    const out = el("output", { text: fmtValue(l.value, l.step) });
    const input = el("input", { type: "range", min: l.min, max: l.max, step: l.step, value: l.value, "data-path": l.path, "aria-label": l.label });
    const row = el("label", { class: "lever" + (b.leverSets.has(l.path) ? " changed" : "") }, el("span", { text: l.label }), out, input);
    input.addEventListener("input", () => { out.textContent = fmtValue(Number(input.value), l.step); });
    input.addEventListener("change", () => {
      b.leverSets.set(l.path, fmtValue(Number(input.value), l.step) + l.suffix);
      row.classList.add("changed");
      rerun(b);
    });
    return row;
  }));
}

function buildColumns(b) {
  const run = b.run;
  const cols = [{ name: "incoming", stage: -1 }, ...run.stages.map((s, i) => ({ name: s.name, stage: i }))];
  b.cols = cols.map((c) => {
    const mk = (cls, label) => {
      const cards = el("div", { class: "cards" }), lab = el("div", { class: "area-label", text: label });
      cards.label = label; cards.labelEl = lab;
      return { box: el("div", { class: "area " + cls }, lab, cards), cards };
    };
    const queue = mk("queue", "waiting for a person");
    const work = mk("work", "in work");
    const wait = mk("wait", c.stage < 0 ? "not yet in a stage" : "with the buyer / held");
    const col = el("div", { class: "col" + (c.stage < 0 ? " incoming" : ""), "data-stage": c.name }, el("h3", { text: c.name, title: c.name }),
      ...(c.stage < 0 ? [wait.box] : [queue.box, work.box, wait.box]));
    return { ...c, col, queue: queue.cards, work: work.cards, wait: wait.cards };
  });
  b.columns.replaceChildren(...b.cols.map((c) => c.col));
  b.roleRows = run.roles.map((r) => {
    const persons = Array.from({ length: r.headcount }, () => el("span", { class: "person" }));
    return { role: r, persons, row: el("div", { class: "role" }, el("span", { class: "role-name", text: `${r.name} (${r.headcount})` }), ...persons) };
  });
  b.peopleEl.replaceChildren(...b.roleRows.map((r) => r.row));
}

// ---------------------------------------------------------------- replaying events

function resetState(b) {
  b.leads = new Map();
  b.people = new Array(b.run ? b.run.people : 0).fill(null);
  b.idx = 0;
  b.t = 0;
  b.counts = { won: 0, lost: 0, disqualified: 0, abandoned: 0 };
  b.nurtured = 0;
  b.handoffs = 0;
}

function applyEvent(b, i) {
  const ev = b.run.events;
  const id = ev.lead[i];
  switch (ev.type[i]) {
    case TYPES.arrive: b.leads.set(id, { source: ev.source[i], stage: -1, status: "wait", person: -1 }); break;
    case TYPES.enter: { const l = b.leads.get(id); if (l) { l.stage = ev.stage[i]; l.status = "wait"; } break; }
    case TYPES.queue: { const l = b.leads.get(id); if (l) { l.stage = ev.stage[i]; l.status = "queue"; } break; }
    case TYPES.start: { const l = b.leads.get(id); if (l) { l.stage = ev.stage[i]; l.status = "work"; l.person = ev.person[i]; } b.people[ev.person[i]] = id; break; }
    case TYPES.end: { const l = b.leads.get(id); if (l) { l.status = "wait"; l.person = -1; } b.people[ev.person[i]] = null; break; }
    case TYPES.handoff: b.handoffs++; break;
    case TYPES.exit: {
      b.leads.delete(id);
      // The run's metrics count the leads that leave after the warm-up: so do the counters.
      if (ev.time_h[i] >= b.run.warmup_h) {
        // a deal ended in no decision is lost (as the metric losses); a lead into nurture has its own counter
        const o = OUTCOMES[ev.outcome[i]] === "no_decision" ? "lost" : OUTCOMES[ev.outcome[i]];
        if (o in b.counts) b.counts[o]++;
        else if (o === "nurtured") b.nurtured++;
      }
      break;
    }
  }
}

function advance(b, t) {
  if (!b.run) return;
  if (t < b.t) resetState(b);
  const ev = b.run.events;
  while (b.idx < ev.count && ev.time_h[b.idx] <= t) applyEvent(b, b.idx++);
  b.t = t;
}

// ---------------------------------------------------------------- drawing a board

function cardColour(b, id, lead) {
  if (ui.colourBy === "quality") return qualityColour(b.quality.has(id) ? b.quality.get(id) : 0.5);
  return SOURCE_COLOURS[lead.source % SOURCE_COLOURS.length];
}

function fillCards(b, container, list) {
  const cards = list.slice(0, MAX_CARDS).map(([id, lead]) => {
    const c = el("span", { class: "card" });
    c.style.background = cardColour(b, id, lead);
    return c;
  });
  if (list.length > MAX_CARDS) cards.push(el("span", { class: "more", text: `+${list.length - MAX_CARDS}` }));
  container.replaceChildren(...cards);
  container.labelEl.textContent = `${container.label}: ${list.length}`;
}

function renderBoard(b) {
  if (!b.run) return;
  const per = b.cols.map(() => ({ queue: [], work: [], wait: [] }));
  for (const entry of b.leads) {
    const lead = entry[1];
    per[lead.stage + 1][lead.status].push(entry);
  }
  b.cols.forEach((c, i) => {
    const p = per[i];
    if (c.stage < 0) {
      fillCards(b, c.wait, [...p.wait, ...p.queue, ...p.work]);
    } else {
      fillCards(b, c.queue, p.queue);
      fillCards(b, c.work, p.work);
      fillCards(b, c.wait, p.wait);
    }
  });
  for (const r of b.roleRows) {
    r.persons.forEach((el_, k) => {
      const id = b.people[r.role.first_person + k];
      const lead = id == null ? null : b.leads.get(id);
      el_.classList.toggle("busy", lead != null);
      el_.style.background = lead ? cardColour(b, id, lead) : "#fff";
      el_.title = lead ? `working on lead ${id} (${b.run.stages[lead.stage] ? b.run.stages[lead.stage].name : ""})` : "no pipeline work";
    });
  }
  const inProgress = b.leads.size;
  const items = [["won", "won"], ["lost", "lost"], ["abandoned", "abandoned"], ["disqualified", "disqualified"]];
  b.counters.replaceChildren(
    ...items.map(([k, label]) => el("div", { class: "counter " + k, "data-counter": k }, el("b", { text: String(b.counts[k]) }), el("span", { text: label }))),
    ...(b.nurtured > 0 ? [el("div", { class: "counter nurtured", "data-counter": "nurtured" }, el("b", { text: String(b.nurtured) }), el("span", { text: "into nurture" }))] : []),
    el("div", { class: "counter open", "data-counter": "open" }, el("b", { text: String(inProgress) }), el("span", { text: "in progress" })));
  b.warm.textContent = b.run.warmup_h > 0
    ? (b.t < b.run.warmup_h ? `warm-up until week ${fmtWeeks(b.run.warmup_h)}: outcomes are counted after it (as the run's metrics)` : `outcomes counted from week ${fmtWeeks(b.run.warmup_h)} (the warm-up), as the run's metrics`)
    : "";
}

// ---------------------------------------------------------------- chart data

// One pass over the events: a sample every `dt` hours (WIP, cumulative arrivals and
// exits, leads per stage), exits per week, and (exit time, lead time) of every exit.
function chartData(run) {
  const ev = run.events;
  const horizon = run.horizon_h;
  const dt = Math.max(1, horizon / 600);
  const stages = run.stages.length;
  const stageOf = new Map(), arrivedAt = new Map();
  const inStage = new Array(stages + 1).fill(0);   // index 0: not yet in a stage
  let wip = 0, arrivals = 0, exits = 0, i = 0;
  const samples = [];
  for (let k = 0; k * dt <= horizon + 1e-9; k++) {
    const t = k * dt;
    while (i < ev.count && ev.time_h[i] <= t) {
      const id = ev.lead[i];
      switch (ev.type[i]) {
        case TYPES.arrive: wip++; arrivals++; stageOf.set(id, -1); arrivedAt.set(id, ev.time_h[i]); inStage[0]++; break;
        case TYPES.enter: inStage[stageOf.get(id) + 1]--; stageOf.set(id, ev.stage[i]); inStage[ev.stage[i] + 1]++; break;
        case TYPES.exit: wip--; exits++; inStage[stageOf.get(id) + 1]--; stageOf.delete(id); break;
      }
      i++;
    }
    samples.push({ t, wip, arrivals, exits, inStage: inStage.slice() });
  }
  const weeks = Math.ceil(horizon / HOURS_PER_WEEK);
  const perWeek = new Array(weeks).fill(0);
  const finished = [];
  const arrived = new Map();
  for (let j = 0; j < ev.count; j++) {
    if (ev.type[j] === TYPES.arrive) arrived.set(ev.lead[j], ev.time_h[j]);
    else if (ev.type[j] === TYPES.exit) {
      perWeek[Math.min(weeks - 1, Math.floor(ev.time_h[j] / HOURS_PER_WEEK))]++;
      finished.push({ t: ev.time_h[j], lt: (ev.time_h[j] - arrived.get(ev.lead[j])) / 24, outcome: ev.outcome[j] });
    }
  }
  return { dt, samples, perWeek, finished, horizon, stages: run.stages.map((s) => s.name) };
}

// ---------------------------------------------------------------- charts (canvas)

const FONT = "20px DejaVu Sans, Arial, sans-serif";

function setupCanvas(canvas) {
  const r = canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(10, Math.round(r.width)), h = Math.max(10, Math.round(r.height));
  if (canvas.width !== w * dpr || canvas.height !== h * dpr) { canvas.width = w * dpr; canvas.height = h * dpr; }
  const g = canvas.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  g.font = FONT;
  return { g, w, h };
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// Axes with the x range in weeks [0, xMax] and y [0, yMax]; returns the mapping.
function axes(c, x0, x1, yMax, xLabel) {
  const { g, w, h } = c;
  const L = 64, R = 12, T = 10, B = 48;
  const X = (x) => L + (w - L - R) * (x - x0) / ((x1 - x0) || 1);
  const Y = (y) => h - B - (h - B - T) * y / (yMax || 1);
  g.strokeStyle = "#9e9e9e"; g.lineWidth = 1; g.fillStyle = "#333";
  g.beginPath(); g.moveTo(L, T); g.lineTo(L, h - B); g.lineTo(w - R, h - B); g.stroke();
  g.textAlign = "right"; g.textBaseline = "middle";
  for (let k = 0; k <= 4; k++) {
    const y = yMax * k / 4;
    g.fillText(y >= 100 ? String(Math.round(y)) : String(+y.toFixed(1)), L - 6, Y(y));
    g.strokeStyle = "#eeeeee"; g.beginPath(); g.moveTo(L + 1, Y(y)); g.lineTo(w - R, Y(y)); g.stroke();
  }
  g.textAlign = "center"; g.textBaseline = "top";
  const span = x1 - x0, stepW = niceMax(span / 5);
  for (let x = Math.ceil(x0 / stepW) * stepW; x <= x1 + 1e-9; x += stepW) g.fillText(String(+x.toFixed(1)), X(x), h - B + 4);
  g.fillText(xLabel, L + (w - L - R) / 2, h - B + 24);
  return { X, Y, L, R, T, B, w, h };
}

function nowLine(c, ax, x) {
  c.g.strokeStyle = "#b0bec5"; c.g.setLineDash([6, 4]); c.g.beginPath(); c.g.moveTo(ax.X(x), ax.T); c.g.lineTo(ax.X(x), ax.h - ax.B); c.g.stroke(); c.g.setLineDash([]);
}

function activeBoards() { return ["a", "b"].map((k) => ui.boards[k]).filter((b) => b.run && (b.id === "a" || ui.compare)); }

function drawWip() {
  const c = setupCanvas(document.getElementById("chart-wip"));
  const bs = activeBoards(); if (!bs.length) return;
  const hW = Math.max(...bs.map((b) => b.charts.horizon)) / HOURS_PER_WEEK;
  const yMax = niceMax(Math.max(1, ...bs.flatMap((b) => b.charts.samples.map((s) => s.wip))));
  const ax = axes(c, 0, hW, yMax, "week");
  for (const b of bs) {
    c.g.strokeStyle = BOARD_COLOURS[b.id]; c.g.lineWidth = 3; c.g.beginPath();
    let first = true;
    for (const s of b.charts.samples) { if (s.t > ui.t) break; const x = ax.X(s.t / HOURS_PER_WEEK), y = ax.Y(s.wip); if (first) { c.g.moveTo(x, y); first = false; } else c.g.lineTo(x, y); }
    c.g.stroke();
  }
  nowLine(c, ax, ui.t / HOURS_PER_WEEK);
}

function drawThroughput() {
  const c = setupCanvas(document.getElementById("chart-throughput"));
  const bs = activeBoards(); if (!bs.length) return;
  const weeks = Math.max(...bs.map((b) => b.charts.perWeek.length));
  const yMax = niceMax(Math.max(1, ...bs.flatMap((b) => b.charts.perWeek)));
  const ax = axes(c, 0, weeks, yMax, "week");
  const done = Math.floor(ui.t / HOURS_PER_WEEK + 1e-9);   // whole weeks behind the clock
  bs.forEach((b, k) => {
    c.g.fillStyle = BOARD_COLOURS[b.id];
    const bw = (ax.X(1) - ax.X(0)) / bs.length;
    b.charts.perWeek.forEach((n, wk) => { if (wk < done) c.g.fillRect(ax.X(wk) + k * bw, ax.Y(n), Math.max(1, bw - 1), ax.Y(0) - ax.Y(n)); });
  });
  nowLine(c, ax, ui.t / HOURS_PER_WEEK);
}

const OUTCOME_COLOURS = ["#2e7d32", "#757575", "#6a1b9a", "#c62828", "#1565c0", "#757575", "#76b7b2"];

function drawLeadTime() {
  const c = setupCanvas(document.getElementById("chart-leadtime"));
  const bs = activeBoards(); if (!bs.length) return;
  const hW = Math.max(...bs.map((b) => b.charts.horizon)) / HOURS_PER_WEEK;
  const yMax = niceMax(Math.max(1, ...bs.flatMap((b) => b.charts.finished.map((f) => f.lt))));
  const ax = axes(c, 0, hW, yMax, "week the lead left");
  for (const b of bs) {
    for (const f of b.charts.finished) {
      if (f.t > ui.t) break;
      c.g.fillStyle = bs.length > 1 ? BOARD_COLOURS[b.id] : OUTCOME_COLOURS[f.outcome];
      c.g.beginPath(); c.g.arc(ax.X(f.t / HOURS_PER_WEEK), ax.Y(f.lt), 3.5, 0, 2 * Math.PI); c.g.fill();
    }
  }
  nowLine(c, ax, ui.t / HOURS_PER_WEEK);
}

const STAGE_FILLS = ["#90caf9", "#a5d6a7", "#ffe082", "#ffab91", "#ce93d8", "#80cbc4", "#bcaaa4", "#b0bec5"];

function drawCfd() {
  const canvas = document.getElementById("chart-cfd");
  const c = setupCanvas(canvas);
  const bs = activeBoards(); if (!bs.length) return;
  const full = { w: c.w, h: c.h };
  bs.forEach((b, k) => {
    // Two boards: two panels side by side, on the same scale.
    const part = { g: c.g, w: full.w / bs.length, h: full.h };
    c.g.save(); c.g.translate(k * part.w, 0);
    const hW = b.charts.horizon / HOURS_PER_WEEK;
    const yMax = niceMax(Math.max(1, ...bs.map((x) => x.charts.samples[x.charts.samples.length - 1].arrivals)));
    const ax = axes(part, 0, hW, yMax, "week");
    if (bs.length > 1) { c.g.fillStyle = BOARD_COLOURS[b.id]; c.g.textAlign = "left"; c.g.textBaseline = "top"; c.g.fillText(b.run.name, ax.L + 6, ax.T); }
    const upto = b.charts.samples.filter((s) => s.t <= ui.t);
    const n = b.charts.stages.length;
    // Bands from the top: not yet in a stage, stage 1, ..., last stage; below them the leads that left.
    const layers = [];
    for (const s of upto) {
      let y = s.exits; const row = [y];
      for (let st = n; st >= 0; st--) { y += s.inStage[st]; row.push(y); }
      layers.push(row);
    }
    for (let band = n + 1; band >= 1; band--) {
      const st = n + 1 - band;   // band index -> stage from the last one back
      c.g.fillStyle = band === n + 1 ? "#eeeeee" : STAGE_FILLS[(n - st) % STAGE_FILLS.length];
      c.g.beginPath();
      upto.forEach((s, i) => { const x = ax.X(s.t / HOURS_PER_WEEK); if (i === 0) c.g.moveTo(x, ax.Y(layers[i][band])); else c.g.lineTo(x, ax.Y(layers[i][band])); });
      for (let i = upto.length - 1; i >= 0; i--) c.g.lineTo(ax.X(upto[i].t / HOURS_PER_WEEK), ax.Y(layers[i][band - 1]));
      c.g.closePath(); c.g.fill();
    }
    c.g.strokeStyle = "#37474f"; c.g.lineWidth = 2; c.g.beginPath();
    upto.forEach((s, i) => { const x = ax.X(s.t / HOURS_PER_WEEK), y = ax.Y(s.exits); if (i === 0) c.g.moveTo(x, y); else c.g.lineTo(x, y); });
    c.g.stroke();
    c.g.restore();
  });
}

function drawLegend() {
  const bs = activeBoards();
  const parts = [];
  const sw = (colour, text) => { const s = el("span", { class: "swatch" }); s.style.background = colour; parts.push(s, text); };
  if (bs.length > 1) bs.forEach((b) => sw(BOARD_COLOURS[b.id], `${b.id === "a" ? "left" : "right"}: ${b.run.name}`));
  else OUTCOMES.slice(0, 4).forEach((o, i) => sw(OUTCOME_COLOURS[i], o));
  parts.push(" · cumulative flow, from the bottom: left, then each stage from the last; grey: arrived, not yet in a stage · cards: ");
  if (ui.colourBy === "source" && bs[0]) bs[0].run.sources.forEach((s, i) => sw(SOURCE_COLOURS[i % SOURCE_COLOURS.length], s.name));
  else { sw(qualityColour(0), "low chance to buy"); sw(qualityColour(1), "high"); }
  document.getElementById("legend").replaceChildren(...parts);
}

// ---------------------------------------------------------------- the clock

function horizon() { return Math.max(0, ...activeBoards().map((b) => b.run.horizon_h)); }

function setTime(t) {
  ui.t = Math.max(0, Math.min(t, horizon()));
  for (const b of activeBoards()) advance(b, ui.t);
  if (ui.t >= horizon()) setPlaying(false);
  render();
}

function render() {
  document.getElementById("clock").textContent = `week ${fmtWeeks(ui.t)} of ${fmtWeeks(horizon())}`;
  for (const b of activeBoards()) renderBoard(b);
  drawWip(); drawThroughput(); drawLeadTime(); drawCfd(); drawLegend();
}

function setPlaying(p) {
  ui.playing = p;
  document.getElementById("play").innerHTML = p ? "&#10074;&#10074; Pause" : "&#9654; Play";
  if (p) { ui.lastFrame = performance.now(); requestAnimationFrame(frame); }
}

function frame(now) {
  if (!ui.playing) return;
  const dt = Math.min(0.25, (now - ui.lastFrame) / 1000);
  ui.lastFrame = now;
  setTime(ui.t + dt / ui.secondsPerWeek * HOURS_PER_WEEK);
  if (ui.playing) requestAnimationFrame(frame);
}

function setCompare(on) {
  ui.compare = on;
  document.getElementById("compare").checked = on;
  const b = ui.boards.b;
  b.root.hidden = !on;
  if (on && !b.file) loadBoard(b, ui.boards.a.file);
  else if (on) rerun(b);   // with the first board's seed
  setTime(ui.t);
}

function setSpeed(s) {
  ui.secondsPerWeek = s;
  document.getElementById("speed").value = s;
  document.getElementById("speed-out").textContent = `${s} s per week`;
}

async function applyPreset(p) {
  ui.preset = p;
  document.querySelectorAll("#presets button").forEach((x) => x.classList.toggle("active", x.dataset.preset === p.id));
  document.getElementById("question").hidden = false;
  document.getElementById("question-text").textContent = p.question;
  document.getElementById("question-note").textContent = p.note || "";
  setPlaying(false);
  ui.t = 0;
  if (p.seconds_per_week > 0) setSpeed(p.seconds_per_week);
  const [a, b] = [ui.boards.a, ui.boards.b];
  a.file = p.boards[0].file; a.baseSets = p.boards[0].set.slice(); a.leverSets.clear(); a.select.value = a.file;
  await rerun(a);
  if (p.boards.length > 1) {
    b.file = p.boards[1].file; b.baseSets = p.boards[1].set.slice(); b.leverSets.clear(); b.select.value = b.file;
    ui.compare = true; b.root.hidden = false; document.getElementById("compare").checked = true;
    await rerun(b);
  } else {
    ui.compare = false; b.root.hidden = true; document.getElementById("compare").checked = false;
  }
  setTime(0);
}

// ---------------------------------------------------------------- start

async function start() {
  ui.boards.a = makeBoard("a");
  ui.boards.b = makeBoard("b");
  const doc = await api("/api/scenarios");
  ui.scenarios = doc.scenarios;
  ui.presets = doc.presets;
  for (const b of Object.values(ui.boards)) fillScenarioSelect(b);
  document.getElementById("presets").replaceChildren(...doc.presets.map((p) => {
    const btn = el("button", { type: "button", "data-preset": p.id, text: p.title });
    btn.addEventListener("click", () => applyPreset(p));
    return btn;
  }));
  document.getElementById("play").addEventListener("click", () => { if (ui.t >= horizon()) setTime(0); setPlaying(!ui.playing); });
  document.getElementById("step").addEventListener("click", () => { setPlaying(false); setTime(ui.t + 24); });
  document.getElementById("restart").addEventListener("click", () => { setPlaying(false); setTime(0); });
  document.getElementById("end").addEventListener("click", () => { setPlaying(false); setTime(horizon()); });
  document.getElementById("speed").addEventListener("input", (e) => setSpeed(Number(e.target.value)));
  document.getElementById("compare").addEventListener("change", (e) => setCompare(e.target.checked));
  document.getElementById("colour").addEventListener("change", (e) => { ui.colourBy = e.target.value; render(); });
  document.getElementById("reroll").addEventListener("click", async () => {
    ui.replication = (ui.replication + 1) % (doc.limits.max_replication + 1);
    await rerun(ui.boards.a);
    if (ui.compare) await rerun(ui.boards.b);
  });
  window.addEventListener("resize", render);
  const first = doc.presets.length ? null : doc.scenarios[0];
  if (doc.presets.length) await applyPreset(doc.presets[0]);
  else if (first) await loadBoard(ui.boards.a, first.file);
  document.body.dataset.ready = "1";
}

// For the browser tests and the curious: the state of the boards.
window.salesflowBoard = {
  snapshot() {
    return {
      t: ui.t, playing: ui.playing, compare: ui.compare, replication: ui.replication,
      boards: activeBoards().map((b) => ({
        id: b.id, file: b.file, name: b.run.name, seed: b.run.seed, horizon_h: b.run.horizon_h, warmup_h: b.run.warmup_h,
        counts: { ...b.counts }, in_progress: b.leads.size, applied: b.idx, events: b.run.events.count,
        metrics: b.metrics, error: b.error.hidden ? "" : b.error.textContent, sets: requestBody(b).set,
      })),
    };
  },
  setTime,
};

start().catch((e) => {
  const msg = el("div", { class: "error", text: "The board could not start: " + e.message });
  document.body.prepend(msg);
});
