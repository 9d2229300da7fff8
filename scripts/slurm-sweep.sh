#!/bin/bash
# A salesflow sweep on a Slurm cluster: one MPI rank per core, rank 0 hands out
# (point, replication) items dynamically and writes the file. Submit it again after a
# time-out or a failure: it resumes the same file, never recomputing a completed item.
#
#   sbatch scripts/slurm-sweep.sh SWEEP.yaml [OUT.h5]
#
# Build salesflow first on the cluster (cmake with OpenMPI found: `scripts/demo.sh` or
# `cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release && cmake --build build/release`).
#SBATCH --job-name=salesflow-sweep
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=32
#SBATCH --cpus-per-task=1
#SBATCH --time=04:00:00
#SBATCH --signal=B:TERM@300
#SBATCH --output=salesflow-sweep-%j.log
set -euo pipefail
sweep=${1:?usage: sbatch scripts/slurm-sweep.sh SWEEP.yaml [OUT.h5]}
out=${2:-results/$(basename "${sweep%.*}").h5}
bin=${SALESFLOW:-build/release/sim/app/salesflow}
mkdir -p "$(dirname "$out")"

resume=()
[ -f "$out" ] && resume=(--resume)

# Five minutes before the time limit Slurm sends SIGTERM (--signal above): salesflow
# finishes the items in flight, writes everything completed and marks the file
# incomplete; the next submission resumes it. Completed work is also committed to the
# file every SALESFLOW_CHECKPOINT_SECONDS (default 10), so even a hard kill loses little.
export SALESFLOW_CHECKPOINT_SECONDS=${SALESFLOW_CHECKPOINT_SECONDS:-60}
trap 'kill -TERM "$child" 2> /dev/null; wait "$child"' TERM
srun --kill-on-bad-exit=0 "$bin" sweep "$sweep" --threads 1 -o "$out" "${resume[@]}" &
child=$!
wait "$child"
