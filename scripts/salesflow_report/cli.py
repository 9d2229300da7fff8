"""The command line of scripts/report.py."""
import argparse
import os
import sys

from .build import OutputError, build_report
from .charts.comparison import DEFAULT_OBJECTIVE
from .charts.sweep import DEFAULT_SWEEP_METRIC
from .errors import ArgumentError, InputError


def main(argv=None):
    ap = argparse.ArgumentParser(prog="report.py",
                                 description="Charts and an offline HTML report from a salesflow results file.")
    ap.add_argument("results", help="the results file (.h5) written by salesflow run, compare or sweep")
    ap.add_argument("-o", "--output", required=True, help="folder for index.html and the charts (created)")
    ap.add_argument("--metric", default=DEFAULT_SWEEP_METRIC,
                    help="metric of the sweep charts and the sweep's answer (default %(default)s)")
    ap.add_argument("--objective", default=DEFAULT_OBJECTIVE,
                    help="metric that decides a comparison (default %(default)s)")
    ap.add_argument("--x", help="sweep parameter (PATH) on the x axis (default: the first that varies)")
    ap.add_argument("--y", help="sweep parameter on the heat map's y axis (default: the next that varies)")
    ap.add_argument("--replication", type=int,
                    help="draw the time series of this replication (default: the mean over replications)")
    ap.add_argument("--no-present", action="store_true", help="do not write present.html (presentation mode)")
    ap.add_argument("--explain", action="append", default=[], metavar="FILE",
                    help="a results file of salesflow explain: its /explanations/<scenario> feed the value stream and "
                         "funnel of a comparison (repeatable)")
    ap.add_argument("--range-from", action="append", default=[], metavar="FILE",
                    help="a results file whose sweeps share this report's colour scale and axis ranges (repeatable)")
    args = ap.parse_args(argv)
    try:
        files = build_report(args.results, args.output, args.metric, args.x, args.y, args.replication,
                             args.objective, not args.no_present, args.explain, args.range_from)
    except InputError as e:
        print(f"report.py: {getattr(e, 'path', args.results)}: {e}", file=sys.stderr)
        return 2
    except ArgumentError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    except OutputError as e:
        print(f"report.py: -o {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 1
    for fn in files:
        print(os.path.join(args.output, fn))
    return 0
