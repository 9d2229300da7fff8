#!/usr/bin/python3
"""Browser checks of the generated reports (issue 13): Debian's headless chromium, driven
by playwright-core from npm (tests/browser/check_pages.js), loads every page of a
comparison report, a real sweep report and a 400-point Latin hypercube report, with no
console error, no failed or non-local request and every image loaded; the axis labels,
ticks and legends of the presentation mode are at least 24 px at 1920 x 1080 (computed
font size times the SVG's on-screen scale); screenshots of the decision section and of a
presentation slide are kept as test artefacts in $SALESFLOW_ARTEFACTS (default
build/test-artefacts/browser), never committed.

Needs SALESFLOW_EXE, /usr/bin/chromium (or $CHROMIUM), node and
tests/browser/node_modules (scripts/deps.sh installs them: salesflow_install_browser_deps).
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("SALESFLOW_SOURCE_DIR") or os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import metric_meta  # noqa: E402
import test_scripts  # noqa: E402  (make_sweep)

EXE = os.environ.get("SALESFLOW_EXE", "")
ARTEFACTS = os.environ.get("SALESFLOW_ARTEFACTS") or os.path.join(SOURCE_DIR, "build", "test-artefacts", "browser")
CHECKER = os.path.join(SOURCE_DIR, "tests", "browser", "check_pages.js")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHORT = ["--set", "simulation.horizon=12w", "--set", "simulation.warmup=2w", "--replications", "3", "--quiet"]
TMP = None
PAGES = []


def salesflow(*args):
    subprocess.run([EXE, *args], check=True, capture_output=True, timeout=120)
    metric_meta.add(args[args.index("-o") + 1])


def report(h5, out, *extra):
    # report.py's main in this process (test_scripts.run_report): no second start-up of
    # matplotlib and pandas per report
    r = test_scripts.run_report(h5, out, *extra)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return [p for p in r.stdout.split() if p.endswith(".html")]


def setUpModule():
    global TMP
    missing = [what for what, ok in (("SALESFLOW_EXE", os.access(EXE, os.X_OK) if EXE else False),
                                     ("chromium at " + CHROMIUM, os.access(CHROMIUM, os.X_OK)),
                                     ("node", shutil.which("node") is not None),
                                     ("tests/browser/node_modules/playwright-core (scripts/deps.sh installs it)",
                                      os.path.isdir(os.path.join(SOURCE_DIR, "tests", "browser", "node_modules",
                                                                 "playwright-core"))))
               if not ok]
    if missing:
        raise RuntimeError("browser checks cannot run, missing: " + "; ".join(missing))
    TMP = tempfile.mkdtemp(prefix="salesflow-browser-")
    sc = os.path.join(SOURCE_DIR, "scenarios")
    cmp = os.path.join(TMP, "compare.h5")
    salesflow("compare", os.path.join(sc, "resource-optimised.yaml"), os.path.join(sc, "flow-optimised.yaml"),
              "--leads", *SHORT, "-o", cmp)
    PAGES.extend(report(cmp, os.path.join(TMP, "compare")))
    wip = os.path.join(TMP, "wip.h5")
    salesflow("sweep", os.path.join(sc, "workshop", "02-wip-sweep.yaml"), *SHORT, "-o", wip)
    PAGES.extend(report(wip, os.path.join(TMP, "wip")))
    import numpy as np
    rng = np.random.default_rng(3)
    lhs = os.path.join(TMP, "lhs.h5")
    test_scripts.make_sweep(lhs, {"roles.ae.headcount": rng.integers(3, 11, 400),
                                  "stages.qualify.advance": rng.uniform(0.2, 0.8, 400),
                                  "sources.inbound.arrivals": rng.uniform(0.018, 0.06, 400)}, [3], name="lhs",
                            grid=False)
    PAGES.extend(report(lhs, os.path.join(TMP, "lhs")))
    study = os.path.join(TMP, "study.h5")  # a synthetic /studies/<name> in the documented layout
    test_scripts.make_study(study)
    PAGES.extend(report(study, os.path.join(TMP, "study")))
    # the index across the workshop demos, as the workshop script makes it (two demos: a
    # sweep and a comparison, shortened)
    ws = os.path.join(TMP, "workshop")
    r = subprocess.run([os.path.join(SOURCE_DIR, "scenarios", "workshop", "run_all.sh"), "--short", "--only", "1,3",
                        "--out", ws], capture_output=True, text=True, timeout=240,
                       env=dict(os.environ, SALESFLOW_EXE=EXE, PYTHON=sys.executable))
    if r.returncode != 0:
        raise RuntimeError(r.stdout + r.stderr)
    PAGES.extend([os.path.join(ws, "present.html"), os.path.join(ws, "index.html")])


def tearDownModule():
    if TMP:
        shutil.rmtree(TMP, ignore_errors=True)


class Browser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(ARTEFACTS, ignore_errors=True)
        os.makedirs(ARTEFACTS)
        r = subprocess.run(["node", CHECKER, ARTEFACTS, *PAGES], capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, CHROMIUM=CHROMIUM))
        cls.rc, cls.stderr = r.returncode, r.stderr
        cls.results = {os.path.relpath(j["page"], TMP): j for j in map(json.loads, r.stdout.splitlines())}

    def test_every_page_loads_cleanly(self):
        self.assertEqual(self.rc, 0, self.stderr + json.dumps(self.results, indent=1))
        self.assertEqual(sorted(self.results), sorted(os.path.relpath(p, TMP) for p in PAGES))
        self.assertEqual(len(PAGES), 10, "index.html and present.html of four reports and of the workshop index")
        for page, res in self.results.items():
            self.assertEqual(res["problems"], [], page)
            if page == os.path.join("workshop", "index.html"):
                self.assertEqual(res["images"], 2, "one chart per demo on the workshop index")
            elif page.endswith("index.html"):
                pngs = len(glob.glob(os.path.join(TMP, os.path.dirname(page), "*.png")))
                self.assertEqual(res["images"], pngs, page)

    def test_workshop_index_in_presentation_mode(self):
        """The index across the workshop demos: one chart per demo per screen, axis
        labels, ticks and legends at least 24 px at 1920 x 1080 (computed style times
        the SVG's scale), Page Down moves one screen."""
        res = self.results[os.path.join("workshop", "present.html")]
        self.assertEqual(res["problems"], [])
        self.assertEqual(res["slides"], 3, "a title screen and one chart per demo")
        self.assertGreater(res["svg_texts"], 20)
        self.assertGreaterEqual(res["min_text_px"], 24.0)
        self.assertEqual(res["scrolled_to"], 1)

    def test_presentation_type_is_large(self):
        for page, res in self.results.items():
            if page.endswith("present.html"):
                self.assertGreater(res["svg_texts"], 20, page)
                self.assertGreaterEqual(res["min_text_px"], 24.0, page)
                self.assertGreater(res["slides"], 2, page)
                self.assertEqual(res["scrolled_to"], 1, "Page Down moves one whole screen: " + page)

    def test_screenshots_are_kept(self):
        shots = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ARTEFACTS, "*.png")))
        self.assertIn("compare-index-top.png", shots)
        self.assertIn("compare-present-slide.png", shots)
        self.assertIn("workshop-index-top.png", shots)
        self.assertIn("workshop-present-slide.png", shots)
        for s in shots:
            with open(os.path.join(ARTEFACTS, s), "rb") as fh:
                self.assertEqual(fh.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
