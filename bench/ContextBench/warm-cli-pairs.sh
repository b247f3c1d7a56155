#!/usr/bin/env bash
# Warm `specsynth context` of two CLI builds alternated (order swapped each round), each with its own state folder
# primed by `specsynth index` and one untimed run (the spec memo):
#   bash bench/ContextBench/warm-cli-pairs.sh OUT N A/specsynth B/specsynth [STATE_PREFIX] [SPEC] [PROJECT]
# OUT gets one line per run: side wall user sys maxrss_kb. Summary: medians per side printed at the end.
set -euo pipefail
out=$1; n=$2; a=$3; b=$4; prefix=${5:-/tmp/warmpairs-st}; spec=${6:-/work/bigrepo/specs/spec0.md}; project=${7:-/work/bigrepo/node}
: > "$out"
for side in a b; do
  p=$a; [[ $side == b ]] && p=$b
  export SPECSYNTH_HOME=$prefix-$side
  [[ -d $SPECSYNTH_HOME/context-index ]] || "$p" index --project "$project" > /dev/null
  "$p" context "$spec" --project "$project" --provider openai --model gpt-4o --budget 128000 --json > /dev/null
done
for i in $(seq 1 "$n"); do
  if (( i % 2 )); then order="a b"; else order="b a"; fi
  for side in $order; do
    p=$a; [[ $side == b ]] && p=$b
    SPECSYNTH_HOME=$prefix-$side /usr/bin/time -o "$out.t" -f '%e %U %S %M' "$p" context "$spec" --project "$project" \
      --provider openai --model gpt-4o --budget 128000 --json > /dev/null
    echo "$side $(cat "$out.t") $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
  done
done
rm -f "$out.t"
python3 - "$out" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
for side in "ab":
    r = [list(map(float, x[1:6])) for x in rows if x[0] == side]
    med = [statistics.median(c) for c in zip(*r)]
    print(f"{side}: n={len(r)} wall {med[0]:.3f} s  user {med[1]:.3f}  sys {med[2]:.3f}  cpu {med[1]+med[2]:.3f}  maxrss {med[3]/1024:.0f} MB  load {med[4]:.1f}")
PY
