#!/usr/bin/env python3
"""Groups a callgrind profile's self cost by the source file of each function's code.

Usage: bench/callgrind_groups.py CALLGRIND_OUT EVENTS
Prints the total and, per group, the instructions per event. A function's line in
`callgrind_annotate --auto=no` reads FILE:FUNCTION; code inlined from a header is
listed under the header's file, so the calendar's heap inlined into the event loop
counts as calendar. The first group whose pattern matches the file wins (else the
function's name is tried, else "other").
"""
import re
import subprocess
import sys

GROUPS = [
    ("seeding", r"seed_impl|seed_array|make_engine|RandomStreams\.cpp"),
    ("draws", r"boost/random|Distribution|standard_gamma|log1p|e_exp|w_exp|s_log|e_log|uniform01|normal"),
    ("calendar", r"EventCalendar"),
    ("working hours", r"WorkingCalendar"),
    ("statistics", r"TimeWeighted|MeanTally|Tally|Statistics|Percentiles|percentiles|WarmUp|TimeSeries"),
    ("engine", r"EngineImpl|Engine\.hpp|stl_vector|stl_bvector|WaitingLine|State\.hpp"),
    ("mechanisms", r"mechanisms/"),
]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    out = subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100", sys.argv[1]],
                         capture_output=True, text=True, check=True).stdout
    events = float(sys.argv[2])
    totals = {name: 0 for name, _ in GROUPS}
    totals["other"] = 0
    total = 0
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(\S.*)", line)
        if not m or "PROGRAM TOTALS" in m.group(2):
            continue
        cost = int(m.group(1).replace(",", ""))
        name = m.group(2)
        total += cost
        where = name.split(":")[0]
        group = next((g for g, p in GROUPS if re.search(p, where)), None)
        if group is None:
            group = next((g for g, p in GROUPS if re.search(p, name)), "other")
        totals[group] += cost
    print(f"total {total} ({total / events:.0f} per event)")
    for name, cost in totals.items():
        print(f"{name:14s} {cost / events:6.0f} per event")
    return 0


if __name__ == "__main__":
    sys.exit(main())
