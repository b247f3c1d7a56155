#!/bin/bash
# Paired warm rankings of two ContextBench builds through their own (already built) index folders, alternated run by run,
# order swapped each round (issue 19: what the warm ranking costs, without the CLI's start-up around it).
# Usage: bench/ContextBench/warm-rank-pairs.sh A_CONTEXTBENCH A_INDEX_DIR B_CONTEXTBENCH B_INDEX_DIR OUT [ROUNDS] [SPECS]
# Build each index first with one `ContextBench --spec 0 --iterations 1 --index DIR` of its own build (an index of
# another format version is not read). SPECS: ContextBench spec numbers (default "0 2").
# OUT gets "round spec build rank_cpu_ms rank_ms rescanned" per run and "load l1 l5 l15" per round;
# summary: python3 bench/ContextBench/warm-rank-summary.py OUT
A_CB=$1; A_IDX=$2; B_CB=$3; B_IDX=$4; OUT=$5; R=${6:-15}; SPECS=${7:-0 2}
TMP=$(mktemp); : > $OUT
for r in $(seq 1 $R); do
  if [ $((r % 2)) = 1 ]; then order="A B"; else order="B A"; fi
  for s in $SPECS; do for b in $order; do eval CB=\$${b}_CB IDX=\$${b}_IDX
    $CB --spec $s --iterations 1 --index $IDX > $TMP || { echo "FAIL $r $s $b" >> $OUT; continue; }
    python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['runs'][0]; print(sys.argv[2], r['rank_cpu_ms'], r['rank_ms'], r['index']['Rescanned'])" \
      $TMP "$r $s $b" >> $OUT
  done; done
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
done
rm -f $TMP
