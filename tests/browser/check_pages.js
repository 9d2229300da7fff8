// Loads every generated report page in Debian's headless chromium through playwright-core
// (no browser download: executablePath /usr/bin/chromium, or $CHROMIUM) and checks:
//  - no console error, no page error, no failed or non-local request, every <img> loaded;
//  - present.html: the computed font size of every SVG chart text, times the SVG's
//    on-screen scale, is at least 24 px at 1920 x 1080 (axis labels, ticks, legends);
//  - screenshots of the decision section of index.html and of one presentation slide.
// usage: node check_pages.js OUTDIR PAGE.html...   (prints one JSON line per page; exit 1 on a failure)
const path = require("path");
const fs = require("fs");
const { chromium } = require("playwright-core");

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function main() {
  const [outdir, ...pages] = process.argv.slice(2);
  fs.mkdirSync(outdir, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(outdir, "profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: FLAGS,
    viewport: { width: 1920, height: 1080 },
  });
  let failed = 0;
  for (const file of pages) {
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
    page.on("request", (r) => { if (!r.url().startsWith("file://") && !r.url().startsWith("data:")) problems.push(`non-local: ${r.url()}`); });
    const url = "file://" + path.resolve(file);
    await page.goto(url, { waitUntil: "load" });
    const broken = await page.$$eval("img", (imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.getAttribute("src")));
    for (const b of broken) problems.push(`missing image: ${b}`);
    const result = { page: file, problems, images: await page.$$eval("img", (i) => i.length) };
    const base = path.basename(path.dirname(file)) + "-" + path.basename(file, ".html");
    if (path.basename(file) === "present.html") {
      result.slides = await page.$$eval("section.slide", (s) => s.length);
      result.min_text_px = await page.$$eval("section.slide svg text", (texts) => {
        let min = Infinity;
        for (const t of texts) {
          const px = parseFloat(getComputedStyle(t).fontSize);
          const m = t.getScreenCTM();
          const scale = Math.sqrt(m.a * m.a + m.b * m.b);
          if (t.textContent.trim() !== "") min = Math.min(min, px * scale);
        }
        return min;
      });
      result.svg_texts = await page.$$eval("section.slide svg text", (t) => t.length);
      await page.keyboard.press("PageDown");  // from the title screen to the first chart
      await page.waitForTimeout(300);
      result.scrolled_to = await page.evaluate(() => Math.round(window.scrollY / window.innerHeight));
      await page.screenshot({ path: path.join(outdir, base + "-slide.png") });
    } else {
      const answer = await page.$("h2");
      if (answer) await answer.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(outdir, base + "-top.png") });
    }
    if (problems.length) failed++;
    console.log(JSON.stringify(result));
    await page.close();
  }
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
