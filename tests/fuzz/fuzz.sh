#!/bin/bash
# A short, bounded libFuzzer run of every fuzz target (build with
# -DSPOW_FUZZ=ON and clang first):
#   tests/fuzz/fuzz.sh BUILD_DIR SECONDS_PER_TARGET
# Each target starts from its seed corpus (tests/fuzz/corpus/<target>, only
# read) and writes what it discovers to a scratch directory, so the checked-in
# corpus does not change.  A crash, sanitizer report, leak, timeout or broken
# property fails the script; the input that did it is kept under
# BUILD_DIR/fuzz-artifacts/ and the end of the log is printed.
set -euo pipefail
build=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build/fuzz-artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for corpus in "$here"/corpus/*/; do
    t=$(basename "$corpus")
    bin="$build/tests/fuzz/fuzz-$t"
    if [ ! -x "$bin" ]; then
        echo "fuzz $t: no binary $bin"
        status=1
        continue
    fi
    mkdir -p "$scratch/$t"
    if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$build/fuzz-artifacts/$t-" -print_final_stats=1 \
            "$scratch/$t" "$corpus" > "$scratch/$t.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$t.log")
        echo "fuzz $t: ${runs:-?} inputs in ${seconds}s, no failure"
    else
        echo "fuzz $t: FAILED"
        tail -n 40 "$scratch/$t.log"
        status=1
    fi
done
exit $status
