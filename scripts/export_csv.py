#!/usr/bin/python3
"""Every table of a salesflow results file as CSV.

usage: export_csv.py RESULTS.h5 -o DIR

Walks every group of the file and writes each table (one-dimensional compound dataset)
to DIR/<path>.csv, the path's "/" replaced by "__": /runs/flow-optimised/summary becomes
runs__flow-optimised__summary.csv. Columns keep their names (dots included); text is
decoded from UTF-8. Large tables (a leads log of millions of rows) are written in slices,
never read whole. Also writes DIR/attributes.csv with one row per attribute of the file,
its groups and its tables: path, name, value (lists of names as a JSON array). Prints
the files written, one per line. The file is opened and checked by
salesflow_report.reading (shared with report.py), and walked by
salesflow_report.walk (shared with export_xlsx.py): a missing, foreign or non-salesflow file
exits 2. Datasets that are not tables are listed on stderr and
skipped. Needs only Debian's python3 with h5py, numpy and pandas. See docs/report.md.
"""
import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from salesflow_report.errors import InputError  # noqa: E402
from salesflow_report.reading import open_results  # noqa: E402
from salesflow_report.target import TargetError, check_target  # noqa: E402
from salesflow_report.walk import attributes, non_tables, table_slices, tables  # noqa: E402,F401

ROWS_PER_SLICE = 200_000


def csv_name(path):
    """/runs/flow-optimised/summary -> runs__flow-optimised__summary.csv"""
    return path.strip("/").replace("/", "__") + ".csv"


def write_table(ds, path):
    """Writes one table to CSV in slices; returns the number of rows."""
    n = ds.shape[0]
    with open(path, "w", newline="", encoding="utf-8") as out:
        if n == 0:
            csv.writer(out).writerow(ds.dtype.names)
            return 0
        for i, df in enumerate(table_slices(ds, ROWS_PER_SLICE)):
            df.to_csv(out, index=False, header=(i == 0))
    return n


def export(results, outdir):
    """Writes the CSVs; returns the paths written (attributes.csv last)."""
    if os.path.exists(outdir) and not os.path.isdir(outdir):
        raise TargetError("exists and is not a folder")
    written = []
    with open_results(results) as f:
        # Every file it would write is checked first (a FIFO there blocked it for ever).
        names = [csv_name(p) for p in tables(f)] + ["attributes.csv"]
        for name in names:
            try:
                check_target(os.path.join(outdir, name), [results])
            except TargetError as e:
                raise TargetError(f"{name} {e}") from None
        os.makedirs(outdir, exist_ok=True)
        seen = set()
        for name, shape, dtype in non_tables(f):
            print(f"export_csv.py: {name} is not a table (shape {shape}, type {dtype}); skipped", file=sys.stderr)
        for p in tables(f):
            name = csv_name(p)
            if name in seen:
                raise ValueError(f"two tables map to the same file name {name}")
            seen.add(name)
            dest = os.path.join(outdir, name)
            write_table(f[p], dest)
            written.append(dest)
        dest = os.path.join(outdir, "attributes.csv")
        with open(dest, "w", newline="", encoding="utf-8") as out:
            w = csv.writer(out)
            w.writerow(["path", "name", "value"])
            w.writerows(attributes(f))
        written.append(dest)
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description="Every table of a salesflow results file as CSV, plus attributes.csv.")
    ap.add_argument("results", help="the results file (.h5)")
    ap.add_argument("-o", "--output", required=True, help="folder for the CSV files (created)")
    args = ap.parse_args(argv)
    try:
        for p in export(args.results, args.output):
            print(p)
    except InputError as e:
        print(f"export_csv.py: {args.results}: {e}", file=sys.stderr)
        return 2
    except TargetError as e:
        print(f"export_csv.py: -o {args.output}: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print(f"export_csv.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
