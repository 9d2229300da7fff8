#!/usr/bin/python3
"""An index page across several reports of report.py (the workshop demos).

usage: report_index.py -o DIR [--title TEXT] [--no-present] --demo FOLDER TITLE [CHART] ...

DIR/index.html lists every demo with its answer, one chart and links to its report and
slides; DIR/present.html shows that chart of every demo, one per screen. FOLDER is a
report folder inside DIR (relative to it); CHART, a text the chosen chart's title
contains (default: the report's first chart). A thin entry point to
salesflow_report.index. Exit status 0 done, 2 unusable arguments or folder, 1 anything
else. See docs/report.md.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from salesflow_report.index import IndexBuildError, build_index  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(prog="report_index.py", description="An index page across reports of report.py.")
    ap.add_argument("-o", "--output", required=True, help="the folder that holds the report folders")
    ap.add_argument("--title", default="Workshop demos", help="the page title (default: %(default)s)")
    ap.add_argument("--no-present", action="store_true", help="do not write present.html")
    ap.add_argument("--demo", action="append", nargs="+", default=[], metavar="ARG",
                    help="FOLDER TITLE [CHART]: a report folder inside -o, its title, and optionally a text the "
                         "chart to show has in its title (repeatable, in order)")
    args = ap.parse_args(argv)
    bad = [d for d in args.demo if not 2 <= len(d) <= 3]
    if bad or not args.demo:
        print("report_index.py: --demo takes FOLDER TITLE [CHART]" + (f", got {' '.join(bad[0])!r}" if bad else
                                                                        " and is needed at least once"),
              file=sys.stderr)
        return 2
    try:
        files = build_index(args.output, [tuple(d) for d in args.demo], args.title, not args.no_present)
    except IndexBuildError as e:
        print(f"report_index.py: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"report_index.py: {e}", file=sys.stderr)
        return 1
    for fn in files:
        print(os.path.join(args.output, fn))
    return 0


if __name__ == "__main__":
    sys.exit(main())
