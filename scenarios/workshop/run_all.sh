#!/usr/bin/env bash
# Runs every workshop demo in order (see README.md in this folder), from the repository
# root, each followed by scripts/report.py, and prints the time each one took.
#
# usage: scenarios/workshop/run_all.sh [--short] [--out DIR] [--no-report]
#   --short      shortened runs (16 simulated weeks, no warm-up, 2 replications; demo 5:
#                30 weeks so that its trade show still happens): checks that every demo
#                runs, for CI. The numbers of a short run mean little.
#   --out DIR    results folder (default: results/workshop under the repository root)
#   --no-report  do not run scripts/report.py
# Environment: SALESFLOW_EXE, the salesflow binary (default build/release/sim/app/salesflow);
# PYTHON, the Python that runs report.py (default /usr/bin/python3).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

short=0
report=1
out=results/workshop
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1 ;;
    --no-report) report=0 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_all.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

bin=${SALESFLOW_EXE:-build/release/sim/app/salesflow}
python=${PYTHON:-/usr/bin/python3}
if [ ! -x "$bin" ]; then
  echo "run_all.sh: no salesflow binary at '$bin' (build it, or set SALESFLOW_EXE)" >&2
  exit 2
fi
mkdir -p "$out"
w=scenarios/workshop

# Shortened runs: the same commands with a shorter horizon and fewer replications.
short_opts=()
short_opts5=()
if [ "$short" = 1 ]; then
  short_opts=(--set simulation.horizon=16w --set simulation.warmup=0 --replications 2 --quiet)
  short_opts5=(--set simulation.horizon=30w --set simulation.warmup=0 --replications 2 --quiet)
fi

now() { date +%s%N; }
total0=$(now)

# demo LABEL FILE.h5 -- salesflow ARGS... [-- report ARGS...]
demo() {
  local label=$1 file=$2
  shift 2
  [ "$1" = "--" ] && shift
  local args=() rargs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  if [ $# -gt 0 ]; then shift; rargs=("$@"); fi
  echo "== $label"
  local t0 t1
  t0=$(now)
  "$bin" "${args[@]}" -o "$out/$file.h5"
  t1=$(now)
  echo "-- $label: salesflow $(( (t1 - t0) / 1000000 )) ms"
  if [ "$report" = 1 ]; then
    "$python" scripts/report.py "$out/$file.h5" -o "$out/$file" ${rargs[@]+"${rargs[@]}"} > /dev/null
    echo "-- $label: report $(( ($(now) - t1) / 1000000 )) ms -> $out/$file/index.html"
  fi
}

demo "1 utilisation vs waiting" 01-kingman -- \
  sweep $w/01-kingman-sweep.yaml ${short_opts[@]+"${short_opts[@]}"}
demo "2 Little's law and WIP limits" 02-wip -- \
  sweep $w/02-wip-sweep.yaml ${short_opts[@]+"${short_opts[@]}"} -- --metric lead_time_mean_h
demo "3 pursue everything vs qualify hard" 03-qualify -- \
  compare $w/03-pursue-all.yaml $w/03-qualify-hard.yaml ${short_opts[@]+"${short_opts[@]}"}
demo "4 specialists vs generalists" 04-handoff -- \
  sweep $w/04-handoff-sweep.yaml ${short_opts[@]+"${short_opts[@]}"} -- --x handoff.effort --metric productivity
demo "5 prospecting when idle vs reserved" 05-prospecting -- \
  compare $w/05-when-idle.yaml $w/05-reserved.yaml ${short_opts5[@]+"${short_opts5[@]}"}
demo "6 variability" 06-variability -- \
  sweep $w/06-variability-sweep.yaml ${short_opts[@]+"${short_opts[@]}"} -- --metric stage.quote.wait_mean_h
demo "7 batching" 07-batching -- \
  compare $w/07-as-they-come.yaml $w/07-daily-batch.yaml $w/07-weekly-batch.yaml ${short_opts[@]+"${short_opts[@]}"}
demo "8a the shipped comparison" 08a-shipped -- \
  compare scenarios/resource-optimised.yaml scenarios/flow-optimised.yaml ${short_opts[@]+"${short_opts[@]}"}
demo "8b the market, flow-optimised" 08b-market-flow -- \
  sweep $w/08-market-flow.yaml ${short_opts[@]+"${short_opts[@]}"} -- --metric productivity
demo "8b the market, resource-optimised" 08b-market-resource -- \
  sweep $w/08-market-resource.yaml ${short_opts[@]+"${short_opts[@]}"} -- --metric productivity
demo "8c the most favourable market point of the grid" 08c-best-point -- \
  compare scenarios/resource-optimised.yaml scenarios/flow-optimised.yaml \
  --set sources.inbound.arrivals=39/w --set sources.inbound.half_life=1w ${short_opts[@]+"${short_opts[@]}"}

echo "== all demos: $(( ($(now) - total0) / 1000000 )) ms, results in $out"
