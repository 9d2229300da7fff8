#!/usr/bin/python3
"""Browser test of the live board (issue 14): `salesflow serve --port 0` on the workshop
folder, Debian's headless chromium driven by playwright-core (tests/browser/check_board.js):
open the page, start a demo preset, play (the clock runs, cards appear), move a slider on
the right board (it re-runs with the lever, the board and the WIP and cumulative-flow
charts change), two boards on one seed, jump to the end (the page's counters equal the
run's metrics on both boards), a wrong override shows the command line's message; no
console error, no request leaves the server. Screenshots are kept in $SALESFLOW_ARTEFACTS
(default build/test-artefacts/board). Then SIGTERM stops the server with exit 0.

Needs SALESFLOW_EXE, /usr/bin/chromium (or $CHROMIUM), node and
tests/browser/node_modules (scripts/deps.sh installs them: salesflow_install_browser_deps).
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("SALESFLOW_SOURCE_DIR") or os.path.abspath(os.path.join(HERE, "..", ".."))
EXE = os.environ.get("SALESFLOW_EXE", "")
ARTEFACTS = os.environ.get("SALESFLOW_ARTEFACTS") or os.path.join(SOURCE_DIR, "build", "test-artefacts", "board")
CHECKER = os.path.join(SOURCE_DIR, "tests", "browser", "check_board.js")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
R = None
SERVER_EXIT = None


def setUpModule():
    global R, SERVER_EXIT
    missing = [what for what, ok in (("SALESFLOW_EXE", os.access(EXE, os.X_OK) if EXE else False),
                                     ("chromium at " + CHROMIUM, os.access(CHROMIUM, os.X_OK)),
                                     ("node", shutil.which("node") is not None),
                                     ("tests/browser/node_modules/playwright-core (scripts/deps.sh installs it)",
                                      os.path.isdir(os.path.join(SOURCE_DIR, "tests", "browser", "node_modules",
                                                                 "playwright-core"))))
               if not ok]
    if missing:
        raise RuntimeError("the board's browser test cannot run, missing: " + "; ".join(missing))
    shutil.rmtree(ARTEFACTS, ignore_errors=True)
    os.makedirs(ARTEFACTS)
    server = subprocess.Popen([EXE, "serve", "--port", "0"], cwd=SOURCE_DIR, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise RuntimeError("salesflow serve did not start: " + line + server.stdout.read())
        r = subprocess.run(["node", CHECKER, m.group(0), ARTEFACTS], capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, CHROMIUM=CHROMIUM))
        if r.returncode != 0:
            raise RuntimeError("check_board.js failed: " + r.stderr)
        R = json.loads(r.stdout)
    finally:
        server.send_signal(signal.SIGTERM)
        SERVER_EXIT = server.wait(timeout=30)


class Board(unittest.TestCase):
    def test_presets_one_per_demo(self):
        self.assertEqual(R["presets"], ["kingman", "wip", "qualify", "team", "prospecting", "variability", "batching",
                                        "opening"])
        self.assertIn("at most 3 open deals", R["question"])

    def test_play_moves_the_clock_and_the_leads(self):
        self.assertEqual(R["start"], [{"applied": 0, "in_progress": 0}] * 2)
        self.assertGreater(R["played"]["t"], 3 * 168)
        self.assertFalse(R["played"]["playing"])
        self.assertGreater(min(R["played"]["applied"]), 0)
        self.assertGreater(R["played"]["cards"], 0)

    def test_two_boards_share_the_seed(self):
        self.assertEqual(R["seeds"], [22, 22])
        self.assertEqual([b["seed"] for b in R["batching"]], [2026, 2026])
        self.assertEqual([b["name"] for b in R["batching"]], ["as-they-come", "weekly-batch"])

    def test_a_slider_reruns_and_the_board_and_charts_change(self):
        s = R["slider"]
        self.assertEqual(s["sets"], ["roles.ae.wip_limit=3", "roles.ae.wip_limit=1"])
        self.assertEqual(s["label"], "1")
        self.assertNotEqual(s["before"], s["after"])
        # One deal per AE: fewer deals move (demo 2: throughput collapses, the queue grows).
        self.assertLess(s["after"]["events"], s["before"]["events"])
        self.assertGreater(s["after"]["in_progress"], s["before"]["in_progress"])
        self.assertTrue(s["wip_chart_changed"])
        self.assertTrue(s["cfd_chart_changed"])

    def test_counters_equal_the_runs_metrics_at_the_end(self):
        for b in R["end"]:
            self.assertEqual(b["t"], b["horizon_h"])
            self.assertEqual(b["applied"], b["events"])
            m = b["metrics"]
            self.assertEqual(b["counts"], {"won": m["wins"], "lost": m["losses"], "disqualified": m["disqualified"],
                                           "abandoned": m["abandoned"]})
            self.assertEqual(b["in_progress"], m["leads_open_at_end"])
        c = R["end"][0]["counts"]
        self.assertEqual(R["dom_counters"], {"won": c["won"], "lost": c["lost"], "abandoned": c["abandoned"],
                                             "disqualified": c["disqualified"], "open": R["end"][0]["in_progress"]})

    def test_override_error_is_the_command_lines(self):
        self.assertEqual(R["override_error"], "--set:1:20: roles.ae.headcount: must be an integer >= 0, got '-1'")

    def test_no_console_error_and_nothing_from_elsewhere(self):
        self.assertEqual(R["console_errors"], [])
        self.assertEqual(R["non_local_requests"], [])

    def test_screenshots_are_kept(self):
        shots = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ARTEFACTS, "*.png")))
        self.assertEqual(shots, ["board-batching.png", "board-end.png", "board-error.png", "board-lever.png",
                                 "board-playing.png"])
        for s in shots:
            with open(os.path.join(ARTEFACTS, s), "rb") as fh:
                self.assertEqual(fh.read(8), b"\x89PNG\r\n\x1a\n")

    def test_sigterm_stops_the_server_with_exit_0(self):
        self.assertEqual(SERVER_EXIT, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
