#!/bin/bash
# The live heap of a long many-spec run (issue 19): one bench/WriteBench/many-cli.sh PUB N run, and a
# `dotnet-gcdump report` of its CLI process once its output folder holds AT written files (default 90 % of N).
# Usage: bench/WriteBench/many-gcdump.sh PUB N LABEL OUT   (writes OUT.report; env WB as for many-cli.sh, AT)
# Needs dotnet-gcdump (`dotnet tool install -g dotnet-gcdump`). The run folder is under $SERIES (default
# /tmp/many-gcdump-runs/LABEL): delete it afterwards.
set -u
pub=$1; n=$2; label=$3; out=$4; at=${AT:-$((n * 9 / 10))}
here=$(cd "$(dirname "$0")" && pwd)
export SERIES=${SERIES:-/tmp/many-gcdump-runs/$label}
mkdir -p "$SERIES"
bash "$here/many-cli.sh" "$pub" "$n" "$label" > "$out.line" 2>&1 &
bg=$!
while kill -0 $bg 2>/dev/null; do
  pid=""
  for p in $(pgrep -f "$SERIES/run.*specs/spec-00000.md"); do
    [ "$(cat /proc/$p/comm 2>/dev/null)" = specsynth ] && pid=$p
  done
  if [ -n "$pid" ]; then
    d=$(ls -d "$SERIES"/run.* | tail -1)
    written=$(ls "$d/out/gen" 2>/dev/null | wc -l)
    if [ "$written" -ge "$at" ]; then
      echo "at $written files" > "$out.report"
      "${GCDUMP:-$HOME/.dotnet/tools/dotnet-gcdump}" report -p "$pid" >> "$out.report" 2>&1
      break
    fi
  fi
  sleep 0.5
done
wait $bg
cat "$out.line"
