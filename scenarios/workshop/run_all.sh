#!/usr/bin/env bash
# Runs every workshop demo in order (see README.md in this folder), from the repository
# root, each followed by scripts/report.py, and prints the time each one took.
#
# usage: scenarios/workshop/run_all.sh [--short] [--out DIR] [--no-report] [--only LIST]
#   --short      shortened runs (16 simulated weeks, no warm-up, 2 replications; demo 5:
#                30 weeks so that its trade show still happens): checks that every demo
#                runs, for CI. The numbers of a short run mean little.
#   --out DIR    results folder (default: results/workshop under the repository root)
#   --no-report  do not run scripts/report.py (nor the index page)
#   --only LIST  only these demos, numbers separated by commas (e.g. 1,3,8; 8 is 8a-8c)
# With the reports, DIR/index.html links every demo's report and DIR/present.html shows
# one chart of each, one per screen (scripts/report_index.py).
# Environment: SALESFLOW_EXE, the salesflow binary (default build/release/sim/app/salesflow);
# PYTHON, the Python that runs report.py (default /usr/bin/python3).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

short=0
report=1
only=""
out=results/workshop
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1 ;;
    --no-report) report=0 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    --only) only=",${2:?--only needs a list of demo numbers},"; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# wanted N: demo N is to run (all without --only)
wanted() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }

index_args=()   # --demo FOLDER TITLE CHART for report_index.py, in order

# simulate LABEL FILE -- salesflow ARGS...: FILE.h5
simulate() {
  local label=$1 file=$2
  shift 3
  echo "== $label"
  local t0
  t0=$(now)
  if [ "${sim_quiet:-0}" = 1 ]; then "$bin" "$@" -o "$out/$file.h5" > /dev/null; else "$bin" "$@" -o "$out/$file.h5"; fi
  echo "-- $label: salesflow $(( ($(now) - t0) / 1000000 )) ms"
}

# report LABEL FILE CHART [report ARGS...]: FILE/ from FILE.h5, listed on the index
# with the chart whose title contains CHART
report() {
  local label=$1 file=$2 chart=$3
  shift 3
  [ "$report" = 1 ] || return 0
  local t0
  t0=$(now)
  "$python" scripts/report.py "$out/$file.h5" -o "$out/$file" "$@" > /dev/null
  echo "-- $label: report $(( ($(now) - t0) / 1000000 )) ms -> $out/$file/index.html"
  index_args+=(--demo "$file" "$label" "$chart")
}

# demo LABEL FILE CHART -- salesflow ARGS... [-- report ARGS...]
demo() {
  local label=$1 file=$2 chart=$3
  shift 3
  [ "$1" = "--" ] && shift
  local args=() rargs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=("$1"); shift; done
  if [ $# -gt 0 ]; then shift; rargs=("$@"); fi
  simulate "$label" "$file" -- "${args[@]}"
  report "$label" "$file" "$chart" ${rargs[@]+"${rargs[@]}"}
}

wanted 1 && demo "1 utilisation vs waiting" 01-kingman "against utilisation" -- \
  sweep $w/01-kingman-sweep.yaml ${short_opts[@]+"${short_opts[@]}"}
wanted 2 && demo "2 Little's law and WIP limits" 02-wip "against WIP limit" -- \
  sweep $w/02-wip-sweep.yaml ${short_opts[@]+"${short_opts[@]}"} -- --metric lead_time_mean_h
wanted 3 && demo "3 pursue everything vs qualify hard" 03-qualify "Funnel and conversion" -- \
  compare $w/03-pursue-all.yaml $w/03-qualify-hard.yaml ${short_opts[@]+"${short_opts[@]}"}
wanted 4 && demo "4 specialists vs generalists" 04-handoff "against handoff" -- \
  sweep $w/04-handoff-sweep.yaml ${short_opts[@]+"${short_opts[@]}"} -- --x handoff.effort --metric productivity
wanted 5 && demo "5 prospecting when idle vs reserved" 05-prospecting "Paired differences" -- \
  compare $w/05-when-idle.yaml $w/05-reserved.yaml ${short_opts5[@]+"${short_opts5[@]}"}
wanted 6 && demo "6 variability" 06-variability "against spread" -- \
  sweep $w/06-variability-sweep.yaml ${short_opts[@]+"${short_opts[@]}"} -- --metric stage.quote.wait_mean_h
wanted 7 && demo "7 batching" 07-batching "Where a lead" -- \
  compare $w/07-as-they-come.yaml $w/07-daily-batch.yaml $w/07-weekly-batch.yaml ${short_opts[@]+"${short_opts[@]}"}
if wanted 8; then
  # 8a: the comparison, with salesflow explain of both organisations (same settings) for
  # the value stream and funnel of the comparison page
  simulate "8a the shipped comparison" 08a-shipped -- \
    compare scenarios/resource-optimised.yaml scenarios/flow-optimised.yaml ${short_opts[@]+"${short_opts[@]}"}
  for org in resource-optimised flow-optimised; do
    sim_quiet=1 simulate "8a explain $org" "08a-explain-$org" -- \
      explain scenarios/$org.yaml ${short_opts[@]+"${short_opts[@]}"}
  done
  report "8a the shipped comparison" 08a-shipped "Where a lead" \
    --explain "$out/08a-explain-resource-optimised.h5" --explain "$out/08a-explain-flow-optimised.h5"
  # 8b: two sweeps of the same market grid, reported on one colour scale and y range
  simulate "8b the market, flow-optimised" 08b-market-flow -- \
    sweep $w/08-market-flow.yaml ${short_opts[@]+"${short_opts[@]}"}
  simulate "8b the market, resource-optimised" 08b-market-resource -- \
    sweep $w/08-market-resource.yaml ${short_opts[@]+"${short_opts[@]}"}
  report "8b the market, flow-optimised" 08b-market-flow "over two parameters" \
    --metric productivity --range-from "$out/08b-market-resource.h5"
  report "8b the market, resource-optimised" 08b-market-resource "over two parameters" \
    --metric productivity --range-from "$out/08b-market-flow.h5"
  demo "8c the most favourable market point of the grid" 08c-best-point "each organisation" -- \
    compare scenarios/resource-optimised.yaml scenarios/flow-optimised.yaml \
    --set sources.inbound.arrivals=13/w --set sources.inbound.half_life=12w ${short_opts[@]+"${short_opts[@]}"}
fi

if [ "$report" = 1 ] && [ ${#index_args[@]} -gt 0 ]; then
  "$python" scripts/report_index.py -o "$out" --title "salesflow workshop demos" "${index_args[@]}" > /dev/null
  echo "-- index of the demos -> $out/index.html (slides: $out/present.html)"
fi

echo "== all demos: $(( ($(now) - total0) / 1000000 )) ms, results in $out"
