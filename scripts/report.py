#!/usr/bin/python3
"""Charts, an offline HTML page and a presentation from a salesflow results file.

usage: report.py RESULTS.h5 -o DIR [--metric M] [--objective M] [--x PATH] [--y PATH]
                 [--replication R] [--no-present]

A thin entry point: the work is done by the package scripts/salesflow_report (reading
the file, statistics, labels, one module per kind of chart, the page). Exit status 0
done, 2 unusable input or output folder, 1 anything else. See docs/report.md.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from salesflow_report import *  # noqa: E402,F401,F403  (the data functions, for `import report`)
from salesflow_report.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
