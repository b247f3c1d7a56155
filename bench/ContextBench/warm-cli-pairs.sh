#!/usr/bin/env bash
# Kept for the commands docs/benchmarks.md cites: bench/ContextBench/warm.sh cli (see its header) with this script's
# argument order, its state folders STATE_PREFIX-a and -b (kept when they already hold an index) and the medians printed
# at the end.
# Usage: bash bench/ContextBench/warm-cli-pairs.sh OUT N A/specsynth B/specsynth [STATE_PREFIX] [SPEC] [PROJECT]
set -euo pipefail
here=$(dirname "$0")
out=$1; n=$2; a=$3; b=$4; prefix=${5:-/tmp/warmpairs-st}
STATE_A=$prefix-a STATE_B=$prefix-b KEEP_STATE=1 SCRATCH=$prefix-scratch SPEC=${6:-/work/bigrepo/specs/spec0.md} \
  TREE=${7:-/work/bigrepo/node} bash "$here/warm.sh" cli "$(dirname "$a")" "$(dirname "$b")" "$out" "$n"
python3 "$here/pairs-summary.py" "$out"
