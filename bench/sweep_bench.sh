#!/usr/bin/env bash
# Sweep throughput (replications per second) on the shipped flow-optimised scenario, at 1
# and 2 threads and at 1 and 2 MPI ranks (one thread each); median of 5 runs each.
#   bench/sweep_bench.sh [BUILD_DIR]      (default build/release)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
bin="$build/sim/app/salesflow"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median_rate() {  # runs "$@" 5 times; prints the median replications/s salesflow measured
  # (from the first item to the last, so mpirun's start-up is left out)
  local rates=()
  for i in 1 2 3 4 5; do
    rates+=("$("$@" 2> /dev/null | sed -n 's/.* items in .* s (\([0-9.]*\) replications\/s)/\1/p')")
  done
  printf '%s\n' "${rates[@]}" | sort -g | sed -n 3p
}

sweep="$root/bench/sweep-bench.yaml"
r1=$(median_rate "$bin" sweep "$sweep" --threads 1 -o "$tmp/a.h5")
r2=$(median_rate "$bin" sweep "$sweep" --threads 2 -o "$tmp/b.h5")
printf 'threads 1: %.0f replications/s\nthreads 2: %.0f replications/s (x%.2f)\n' "$r1" "$r2" "$(awk -v a="$r1" -v b="$r2" 'BEGIN { print b / a }')"
if command -v mpirun > /dev/null; then
  m1=$(median_rate mpirun --allow-run-as-root --oversubscribe -n 1 "$bin" sweep "$sweep" --threads 1 -o "$tmp/c.h5")
  m2=$(median_rate mpirun --allow-run-as-root --oversubscribe -n 2 "$bin" sweep "$sweep" --threads 1 -o "$tmp/d.h5")
  printf 'ranks 1:   %.0f replications/s\nranks 2:   %.0f replications/s (x%.2f)\n' "$m1" "$m2" "$(awk -v a="$m1" -v b="$m2" 'BEGIN { print b / a }')"
fi
