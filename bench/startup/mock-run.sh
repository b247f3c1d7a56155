#!/bin/sh
# One mock quick start (README) with a fresh state folder and a fresh output folder, removed afterwards.
# Usage: bench/startup/mock-run.sh PUBLISH_DIR   (PUBLISH_DIR from dotnet publish src/SpecSynth.Cli -c Release -r linux-x64 -o PUBLISH_DIR)
# Time it with: farm-bench -n 9 --vs 'bench/startup/mock-run.sh OLD_DIR' -- bench/startup/mock-run.sh NEW_DIR
root=$(cd "$(dirname "$0")/../.." && pwd)
d=$(mktemp -d /tmp/specsynth-mock.XXXXXX)
SPECSYNTH_HOME=$d/home "$1"/specsynth generate "$root"/examples/todo-cli/spec.md --mock-llm --out "$d"/out >/dev/null 2>&1
rc=$?
rm -rf "$d"
exit $rc
