// Drives the live board (`salesflow serve`) in Debian's headless chromium through
// playwright-core: opens the page, starts a demo preset, plays, moves a slider (the board
// and a chart change), compares two boards on one seed, jumps to the end (the counters
// equal the run's metrics), shows an override error, and reports every console error,
// page error and non-local request. Screenshots go to OUTDIR.
// usage: node check_board.js URL OUTDIR   (prints one JSON document; exit 1 when a step fails)
const path = require("path");
const fs = require("fs");
const { chromium } = require("playwright-core");

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function main() {
  const [url, outdir] = process.argv.slice(2);
  fs.mkdirSync(outdir, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: FLAGS });
  // bypassCSP: playwright's waitForFunction evaluates text, which the page's policy forbids.
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, bypassCSP: true });
  const console_errors = [], requests = [];
  page.on("console", (m) => { if (m.type() === "error") console_errors.push(m.text()); });
  page.on("pageerror", (e) => console_errors.push("page error: " + e.message));
  page.on("request", (r) => { if (!r.url().startsWith(url)) requests.push(r.url()); });
  const snap = () => page.evaluate(() => window.salesflowBoard.snapshot());
  const idle = () => page.waitForFunction(() => [...document.querySelectorAll(".board:not([hidden]) .busy")].every((b) => b.textContent === ""));
  const chart = (id) => page.evaluate((i) => document.getElementById(i).toDataURL(), id);
  const r = {};

  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready='1']", { timeout: 20000 });
  r.presets = await page.$$eval("#presets button", (b) => b.map((x) => x.dataset.preset));

  // A demo: one click; two boards on the same seed.
  await page.click("button[data-preset='wip']");
  await page.waitForFunction(() => { const s = window.salesflowBoard.snapshot(); return s.boards.length === 2 && s.boards.every((b) => b.file === "02-wip.yaml"); });
  await idle();
  r.question = await page.textContent("#question-text");
  let s = await snap();
  r.seeds = s.boards.map((b) => b.seed);
  r.start = s.boards.map((b) => ({ applied: b.applied, in_progress: b.in_progress }));

  // Play: the clock runs and leads move onto the board.
  await page.click("#play");
  await page.waitForFunction(() => window.salesflowBoard.snapshot().t > 3 * 168);
  await page.click("#play");
  s = await snap();
  r.played = { t: s.t, playing: s.playing, applied: s.boards.map((b) => b.applied), cards: await page.$$eval("#board-a .card", (c) => c.length) };
  await page.screenshot({ path: path.join(outdir, "board-playing.png") });

  // A lever on the right board: WIP limit 1 per AE. The board re-runs on the same buyers.
  await page.evaluate(() => window.salesflowBoard.setTime(30 * 168));
  const wipBefore = await chart("chart-wip"), cfdBefore = await chart("chart-cfd");
  const before = (await snap()).boards[1];
  await page.click("#board-b .levers-box summary");
  await page.$eval("#board-b input[data-path='roles.ae.wip_limit']", (i) => { i.value = "1"; i.dispatchEvent(new Event("input")); i.dispatchEvent(new Event("change")); });
  await page.waitForFunction(() => window.salesflowBoard.snapshot().boards[1].sets.includes("roles.ae.wip_limit=1"));
  await idle();
  await page.waitForTimeout(200);
  const after = (await snap()).boards[1];
  r.slider = {
    sets: after.sets, before: { counts: before.counts, in_progress: before.in_progress, events: before.events },
    after: { counts: after.counts, in_progress: after.in_progress, events: after.events },
    wip_chart_changed: wipBefore !== await chart("chart-wip"), cfd_chart_changed: cfdBefore !== await chart("chart-cfd"),
    label: await page.$eval("#board-b input[data-path='roles.ae.wip_limit']", (i) => i.closest("label").querySelector("output").textContent),
  };
  await page.screenshot({ path: path.join(outdir, "board-lever.png") });

  // To the end: the counters equal the run's metrics on both boards.
  await page.click("#end");
  s = await snap();
  r.end = s.boards.map((b) => ({ file: b.file, t: s.t, horizon_h: b.horizon_h, applied: b.applied, events: b.events, counts: b.counts,
    in_progress: b.in_progress, metrics: { wins: b.metrics.wins, losses: b.metrics.losses, disqualified: b.metrics.disqualified,
      abandoned: b.metrics.abandoned, leads_open_at_end: b.metrics.leads_open_at_end } }));
  r.dom_counters = await page.$$eval("#board-a .counter", (c) => Object.fromEntries(c.map((x) => [x.dataset.counter, Number(x.querySelector("b").textContent)])));
  await page.screenshot({ path: path.join(outdir, "board-end.png") });

  // Another demo with other files on the two boards.
  await page.click("button[data-preset='batching']");
  await page.waitForFunction(() => window.salesflowBoard.snapshot().boards.map((b) => b.file).join() === "07-as-they-come.yaml,07-weekly-batch.yaml");
  await idle();
  await page.evaluate(() => window.salesflowBoard.setTime(30 * 168));
  s = await snap();
  r.batching = s.boards.map((b) => ({ name: b.name, seed: b.seed, in_progress: b.in_progress }));
  await page.screenshot({ path: path.join(outdir, "board-batching.png") });

  // A wrong override: the command line's message on the page; the board keeps its run.
  const errorsBefore = console_errors.length;
  await page.$eval("#board-a .levers-box", (d) => { d.open = true; });
  await page.fill("#board-a input.sets", "roles.ae.headcount=-1");
  await page.click("#board-a button.apply");
  await page.waitForSelector("#board-a .error:not([hidden])");
  r.override_error = await page.textContent("#board-a .error");
  // Chromium logs the refused request (HTTP 400) as a console error: that one is expected.
  r.expected_console = console_errors.splice(errorsBefore).filter((e) => !/status of 400/.test(e));
  console_errors.push(...r.expected_console);
  await page.screenshot({ path: path.join(outdir, "board-error.png") });

  r.console_errors = console_errors;
  r.non_local_requests = requests;
  await browser.close();
  console.log(JSON.stringify(r));
}

main().catch((e) => { console.error(e); process.exit(2); });
