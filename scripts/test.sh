#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds in Release and runs every test,
# then builds again with AddressSanitizer + UndefinedBehaviorSanitizer
# (-fno-sanitize-recover=all) and runs the C++ suites there too (every ctest suite but
# those labelled `python`: the scripts, report pages, docs links and workshop pack, whose
# C++ is the salesflow executable that test_app runs under the sanitizers).
# SALESFLOW_SKIP_SANITIZE=1 skips the sanitizer pass (quicker local runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/deps.sh"
salesflow_install_deps
salesflow_install_browser_deps "$root"
jobs=$(salesflow_jobs)
# ccache, where the machine has it, makes rebuilds cheap; nothing depends on it.
launcher=()
command -v ccache > /dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

echo "== Release build and tests"
cmake -S "$root" -B "$root/build/release" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" > /dev/null
cmake --build "$root/build/release" -j"$jobs"
ctest --test-dir "$root/build/release" --output-on-failure -j1

if [ "${SALESFLOW_SKIP_SANITIZE:-0}" != "1" ]; then
  echo "== ASan + UBSan build and tests"
  cmake -S "$root" -B "$root/build/sanitize" -DCMAKE_BUILD_TYPE=Debug -DSALESFLOW_SANITIZE=ON \
        -DSALESFLOW_BENCH=OFF -DSALESFLOW_UNITY_LIBS=ON -DCMAKE_CXX_FLAGS="-O1" "${launcher[@]}" > /dev/null
  cmake --build "$root/build/sanitize" -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$root/build/sanitize" --output-on-failure -j1 -LE python
fi
