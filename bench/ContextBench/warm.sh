#!/usr/bin/env bash
# Paired warm runs of two builds over a built context index, alternated run by run, the order swapped each round (issue 19).
# One driver, two modes (warm-pairs.sh, warm-cli-pairs.sh and warm-rank-pairs.sh are thin wrappers kept for the commands
# docs/benchmarks.md cites):
#
#   warm.sh cli A_CLI_PUBLISH_DIR B_CLI_PUBLISH_DIR OUT [ROUNDS=20]
#     Warm `specsynth context SPEC --project TREE` (openai gpt-4o, 128k budget, --json). Each build has its own state folder
#     (STATE_A, STATE_B; default SCRATCH/st-A, SCRATCH/st-B), indexed afresh in the foreground (with KEEP_STATE=1 one that
#     already holds an index is kept as it is) and primed by one untimed run (the spec memo). With TOUCHTREE (a copy of the
#     tree that may be changed) and TOUCHER (a ContextBench whose --touch N changes N files and exits) each round also times
#     a run after touching 10 files of TOUCHTREE (clitouch10, state SCRATCH/tst-A, tst-B). OUT: "run build wall user sys
#     maxrss_kb" per run and "round N load1 load5 load15" per round; medians: python3 bench/ContextBench/pairs-summary.py OUT
#
#   warm.sh rank A_CONTEXTBENCH A_INDEX_DIR B_CONTEXTBENCH B_INDEX_DIR OUT [ROUNDS=15] [SPECS="0 2"]
#     Warm rankings of ContextBench's specs through each build's own (already built) index folder: what the warm ranking
#     costs without the CLI's start-up around it. Build each index first with one `ContextBench --spec 0 --iterations 1
#     --index DIR` of its own build (an index of another format version is not read). OUT: "round spec build rank_cpu_ms
#     rank_ms rescanned" per run and "load l1 l5 l15" per round; summary: python3 bench/ContextBench/warm-rank-summary.py OUT
#
# env: TREE (default /work/bigrepo/node), SPEC (default /work/bigrepo/specs/spec0.md), SCRATCH (default
# /tmp/specsynth-warm-pairs; two drivers at once need different ones).
set -uo pipefail
mode=${1:?usage: warm.sh cli|rank ...}; shift
TREE=${TREE:-/work/bigrepo/node}; SPEC=${SPEC:-/work/bigrepo/specs/spec0.md}
Q=${SCRATCH:-/tmp/specsynth-warm-pairs}; mkdir -p "$Q"
# order ROUND: A first in odd rounds, B first in even ones.
order() { if [ $(($1 % 2)) = 1 ]; then echo "A B"; else echo "B A"; fi; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

case $mode in
cli)
  A_PUB=$1; B_PUB=$2; OUT=$3; R=${4:-20}
  : > "$OUT"
  # ctx STATE PUBLISH_DIR PROJECT: the words of one warm run (a command line /usr/bin/time can run).
  ctx() { echo env SPECSYNTH_HOME=$1 $2/specsynth context $SPEC --project $3 --provider openai --model gpt-4o --budget 128000 --json; }
  # prime STATE PUBLISH_DIR PROJECT: the foreground index (unless kept) and one untimed run.
  prime() {
    if [ "${KEEP_STATE:-}" != 1 ]; then rm -rf "$1"; fi
    if [ ! -d "$1/context-index" ]; then SPECSYNTH_HOME=$1 "$2"/specsynth index --project "$3" > /dev/null; fi
    $(ctx "$1" "$2" "$3") > /dev/null
  }
  STATE_A=${STATE_A:-$Q/st-A}; STATE_B=${STATE_B:-$Q/st-B}
  for b in A B; do eval P=\$${b}_PUB ST=\$STATE_$b
    prime "$ST" "$P" "$TREE"
    if [ -n "${TOUCHTREE:-}" ]; then prime "$Q/tst-$b" "$P" "$TOUCHTREE"; fi
  done
  t() { local label=$1 build=$2; shift 2; /usr/bin/time -f "$label $build %e %U %S %M" -a -o "$OUT" "$@" > /dev/null 2>"$Q/err" || { echo "FAIL $label $build" >> "$OUT"; cat "$Q/err" >> "$OUT"; }; }
  for r in $(seq 1 "$R"); do
    for b in $(order "$r"); do eval P=\$${b}_PUB ST=\$STATE_$b
      t cliwarm $b $(ctx "$ST" "$P" "$TREE")
      if [ -n "${TOUCHTREE:-}" ]; then
        ${TOUCHER:?TOUCHER: a ContextBench build} --root "$TOUCHTREE" --touch 10 > /dev/null
        t clitouch10 $b $(ctx "$Q/tst-$b" "$P" "$TOUCHTREE")
      fi
    done
    echo "round $r $(load)" >> "$OUT"
  done
  ;;
rank)
  A_CB=$1; A_IDX=$2; B_CB=$3; B_IDX=$4; OUT=$5; R=${6:-15}; SPECS=${7:-0 2}
  : > "$OUT"
  for r in $(seq 1 "$R"); do
    for s in $SPECS; do for b in $(order "$r"); do eval CB=\$${b}_CB IDX=\$${b}_IDX
      "$CB" --spec "$s" --iterations 1 --index "$IDX" > "$Q/rank.json" || { echo "FAIL $r $s $b" >> "$OUT"; continue; }
      python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['runs'][0]; print(sys.argv[2], r['rank_cpu_ms'], r['rank_ms'], r['index']['Rescanned'])" \
        "$Q/rank.json" "$r $s $b" >> "$OUT"
    done; done
    echo "load $(load)" >> "$OUT"
  done
  ;;
*)
  echo "usage: warm.sh cli|rank ... (see the header)" >&2; exit 2 ;;
esac
