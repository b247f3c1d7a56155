#!/bin/sh
# CPU of one mock quick start (as mock-run.sh runs it) split by thread, from perf's task clock sampled at 4 kHz:
# the run's own path (the main thread and the thread pool, what the run waits on), the warm-up and validation threads,
# and the whole process, in milliseconds. On a shared machine the run's own path moves less with the load than wall time.
# Usage: bench/startup/threads.sh PUBLISH_DIR   (needs perf; alternate two builds run by run and take medians)
root=$(cd "$(dirname "$0")/../.." && pwd)
d=$(mktemp -d /tmp/specsynth-threads.XXXXXX)
SPECSYNTH_HOME=$d/home perf record -q -e task-clock -c 250000 -o "$d"/perf.data \
  "$1"/specsynth generate "$root"/examples/todo-cli/spec.md --mock-llm --out "$d"/out >/dev/null 2>&1
perf report -i "$d"/perf.data --sort comm --stdio -F sample,comm 2>/dev/null | grep -v '^#' | grep -v '^$' |
  awk -v p="$1" '{n=$1; $1=""; sub(/^ /,""); if ($0 == "specsynth" || $0 ~ /TP Worker/) m+=n; else if ($0 ~ /warm|valid/) w+=n; t+=n}
    END {printf "%s run_path_ms %d warmup_ms %d total_ms %d\n", p, m/4, w/4, t/4}'
rm -rf "$d"
