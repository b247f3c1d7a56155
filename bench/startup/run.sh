#!/usr/bin/env bash
# Start-up benchmark: `specsynth --version` (published ReadyToRun) against a ReadyToRun hello-world console
# app, timed in the same run. Prints one JSON object with the median and min wall milliseconds of each.
# Usage: bench/startup/run.sh [RUNS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-30}
out=$(mktemp -d)
dotnet publish src/SpecSynth.Cli -c Release -r linux-x64 --self-contained false -o "$out/specsynth" -v q -nologo >/dev/null
dotnet publish bench/startup/hello -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/hello" -v q -nologo >/dev/null

measure() { # prints one wall time in microseconds per run
  for _ in 1 2 3; do "$@" >/dev/null 2>&1 || true; done   # warm-up
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
  done | sort -n
}
stats() { # median and min in ms from sorted microsecond lines
  awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "{\"median_ms\": %.1f, \"min_ms\": %.1f}", m/1000, a[1]/1000}'
}
hello=$(measure "$out/hello/hello" | stats)
version=$(measure "$out/specsynth/specsynth" --version | stats)
config=$(measure "$out/specsynth/specsynth" config show | stats)
printf '{"runs": %s, "hello_world_r2r": %s, "specsynth_version": %s, "specsynth_config_show": %s}\n' "$runs" "$hello" "$version" "$config"
rm -rf "$out"
