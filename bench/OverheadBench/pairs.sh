#!/bin/bash
# Paired OverheadBench runs of two builds (issue 19): N rounds, each runs build A and build B once, the order swapped every
# round, from an empty scratch folder (builds before bench/Shared/LoopbackWebApp.cs watched the working folder). Each run's JSON is saved as
# OUTDIR/<round>-<A|B>.json; bench/OverheadBench/pairs-summary.py OUTDIR prints the medians.
# Usage: bench/OverheadBench/pairs.sh OUTDIR N A_DLL B_DLL [OverheadBench args, e.g. --concurrency 1 --requests 2000]
# (A_DLL, B_DLL: `dotnet build bench/OverheadBench -c Release -o DIR` of each build, DIR/OverheadBench.dll.)
# A_ENV / B_ENV (optional): environment settings for that side's runs only, e.g. the same DLL twice with
# B_ENV="DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0" to measure a runtime setting.
set -u
out=$1; n=$2; a=$3; b=$4; shift 4
mkdir -p "$out"
work=$(mktemp -d /tmp/overheadbench-pairs.XXXXXX)
trap 'rm -rf "$work"' EXIT
run() { # label dll round [args]
  local label=$1 dll=$2 round=$3 vars; shift 3
  if [ "$label" = A ]; then vars=${A_ENV:-}; else vars=${B_ENV:-}; fi
  echo "$(date +%T) round $round $label load $(cut -d' ' -f1 /proc/loadavg)" >&2
  (cd "$work" && env $vars dotnet "$dll" "$@" > "$out/$round-$label.json" 2> "$out/$round-$label.err") \
    || { echo "run $round-$label failed: see $out/$round-$label.err" >&2; return 1; }
}
for r in $(seq 1 "$n"); do
  if [ $((r % 2)) -eq 1 ]; then
    run A "$a" "$r" "$@" || exit 1; run B "$b" "$r" "$@" || exit 1
  else
    run B "$b" "$r" "$@" || exit 1; run A "$a" "$r" "$@" || exit 1
  fi
done
