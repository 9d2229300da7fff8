#!/usr/bin/env bash
# The main job on the shipped scenarios: installs what is missing, builds salesflow in
# Release, compares the resource-optimised and flow-optimised organisations on the same
# market (common random numbers, 20 paired replications of a measured year), and writes
# the results file and an offline report with charts under results/ in the current folder;
# then the quick answer of the shipped study (scenarios/studies/lean-sales.yaml).
#   scripts/demo.sh [OUT.h5]      (default results/demo.h5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/deps.sh"
salesflow_install_deps
jobs=$(salesflow_jobs)
cmake -S "$root" -B "$root/build/release" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$root/build/release" -j"$jobs" --target salesflow
bin="$root/build/release/sim/app/salesflow"
out=${1:-results/demo.h5}
report="${out%.h5}-report"
"$bin" compare "$root/scenarios/resource-optimised.yaml" "$root/scenarios/flow-optimised.yaml" -o "$out"
/usr/bin/python3 "$root/scripts/report.py" "$out" -o "$report" > /dev/null
echo "report: $report/index.html"
# The seed's question under uncertainty: each organisation at its best within the same
# budget, over the assumptions nobody can measure (docs/study.md; --quick: 16 points).
"$bin" study "$root/scenarios/studies/lean-sales.yaml" --quick -o "${out%.h5}-study.h5"
