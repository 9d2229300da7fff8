#!/usr/bin/python3
"""Every table of a salesflow results file as one Excel workbook (Debian's python3-openpyxl).

usage: export_xlsx.py RESULTS.h5 -o BOOK.xlsx

One sheet per table (one-dimensional compound dataset), named after its path without
the top group (`flow-optimised summary`, `wip points`), shortened to Excel's 31
characters and made unique. Row 1 holds the column names, row 2 their units in words:
for a metric column the unit the file declares (metric_units: hours, count per run,
share 0-1, money, ...), for a varied parameter or a key column a dash; data from row 3.
A last sheet `attributes` lists every attribute (path, name, value). A table longer than
an Excel sheet (1,048,574 data rows) continues on further sheets (`... (2)`). The book
is written to a temporary file and renamed: it is complete or absent. Exit status 0
done, 2 unusable input or output name, 1 anything else. See docs/report.md.
"""
import argparse
import os
import re
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from salesflow_report.errors import InputError  # noqa: E402
from salesflow_report.reading import metrics_from_attrs, open_results  # noqa: E402
from salesflow_report.target import TargetError, check_target, umask_mode  # noqa: E402
from salesflow_report.walk import attributes, table_slices, tables  # noqa: E402

MAX_ROWS = 1_048_576 - 2
ROWS_PER_SLICE = 100_000
UNIT_WORDS = {"count": "count per run", "hours": "hours", "per_week": "per week", "share": "share 0-1",
              "money": "money", "money_per_person_year": "money per person per year",
              "money_per_win": "money per deal won", "leads": "leads (time average)", "ratio": "ratio"}
COLUMN_UNITS = {"time_h": "hours", "arrival_h": "hours", "exit_h": "hours", "work_h": "hours", "wait_h": "hours",
                "value": "money", "rel_change": "percent"}


def sheet_name(path, taken):
    parts = path.strip("/").split("/")
    name = " ".join(parts[1:] if len(parts) > 1 else parts)
    name = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "table"
    base, i = name, 2
    while name.lower() in taken:
        suffix = f" ({i})"
        name = base[:31 - len(suffix)] + suffix
        i += 1
    taken.add(name.lower())
    return name


def units_row(f, path, columns):
    ds = f[path]
    meta = metrics_from_attrs(ds, path.strip("/"))
    if meta is None and "replications" in ds.parent and path.endswith("/points"):
        meta = metrics_from_attrs(ds.parent["replications"], ds.parent.name.strip("/") + "/replications")
    out = []
    for c in columns:
        if meta is not None and c in meta and meta.get(c).unit:
            out.append(UNIT_WORDS.get(meta.get(c).unit, meta.get(c).unit))
        else:
            out.append(COLUMN_UNITS.get(c, "-"))
    return out


def cell(v):
    if isinstance(v, (np.floating, float)):
        v = float(v)
        return v if np.isfinite(v) else None
    if isinstance(v, np.integer):
        return int(v)
    return v


def export(results, dest):
    from openpyxl import Workbook
    d = os.path.dirname(os.path.abspath(dest))
    if not dest or os.path.isdir(dest) or not os.path.isdir(d):
        raise InputError(f"-o {dest}: not a usable file name (a folder, or its folder does not exist)")
    check_target(dest, [results])  # before reading anything
    wb = Workbook(write_only=True)
    taken, sheets = set(), []
    with open_results(results) as f:
        for p in tables(f):
            ds = f[p]
            cols = list(ds.dtype.names)
            units = units_row(f, p, cols)
            n = ds.shape[0]
            start = 0
            while True:
                ws = wb.create_sheet(sheet_name(p, taken))
                sheets.append(ws.title)
                ws.append(cols)
                ws.append(units)
                end = min(n, start + MAX_ROWS)
                for df in table_slices(ds, ROWS_PER_SLICE, start, end):
                    for row in df.itertuples(index=False):
                        ws.append([cell(v) for v in row])
                start = end
                if start >= n:
                    break
        ws = wb.create_sheet(sheet_name("/attributes", taken))
        sheets.append(ws.title)
        ws.append(["path", "name", "value"])
        ws.append(["-", "-", "-"])
        for row in attributes(f):
            ws.append([cell(v) for v in row])
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(dest)}.tmp-", dir=d)
    os.close(fd)
    try:
        wb.save(tmp)
        os.chmod(tmp, umask_mode())
        check_target(dest, [results])  # again: it may have appeared meanwhile
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return sheets


def main(argv=None):
    ap = argparse.ArgumentParser(description="Every table of a salesflow results file as one Excel workbook.")
    ap.add_argument("results", help="the results file (.h5)")
    ap.add_argument("-o", "--output", required=True, help="the workbook to write (.xlsx)")
    args = ap.parse_args(argv)
    try:
        for s in export(args.results, args.output):
            print(s)
    except InputError as e:
        print(f"export_xlsx.py: {args.results}: {e}", file=sys.stderr)
        return 2
    except TargetError as e:
        print(f"export_xlsx.py: -o {args.output}: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print(f"export_xlsx.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
