#!/usr/bin/env bash
# Two WriteBench builds alternated (order swapped each round), each run's JSON kept:
#   bash bench/WriteBench/pairs.sh OUTDIR N A/WriteBench.dll B/WriteBench.dll [WriteBench args, e.g. --specs 1000 --spec-files]
# then python3 bench/WriteBench/pairs-summary.py OUTDIR
set -euo pipefail
out=$1; n=$2; a=$3; b=$4; shift 4
mkdir -p "$out"
for i in $(seq 1 "$n"); do
  if (( i % 2 )); then order="a b"; else order="b a"; fi
  for side in $order; do
    dll=$a; [[ $side == b ]] && dll=$b
    echo "$(date -u +%T) round $i $side load $(cut -d' ' -f1 /proc/loadavg)" >&2
    dotnet "$dll" "$@" > "$out/$side-$i.json"
  done
done
