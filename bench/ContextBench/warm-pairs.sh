#!/bin/bash
# Paired warm `specsynth context` runs of two CLI builds, alternated run by run, order swapped each round (issue 19, warm
# ranking): each build gets its own state folder, indexed once in the foreground, then N rounds of one warm run each.
# Optionally (TOUCHTREE set, a copy of the tree that may be changed) each round also times a run after touching 10 files of
# TOUCHTREE with TOUCHER (a ContextBench whose --touch changes N files and exits).
# Usage: bench/ContextBench/warm-pairs.sh A_CLI_PUBLISH_DIR B_CLI_PUBLISH_DIR OUT [ROUNDS]
# OUT gets one line per run: "run build wall user sys maxrss_kb" (bench/ContextBench/pairs-summary.py OUT prints the medians)
# and "round N load1 load5 load15" after each round.
A_PUB=$1; B_PUB=$2; OUT=$3; R=${4:-20}
TREE=${TREE:-/work/bigrepo/node}; SPEC=${SPEC:-/work/bigrepo/specs/spec0.md}
Q=${SCRATCH:-/tmp/specsynth-warm-pairs}; mkdir -p $Q
: > $OUT
# ctx STATE PUBLISH_DIR PROJECT: the words of one warm run (a command line /usr/bin/time can run).
ctx() { echo env SPECSYNTH_HOME=$1 $2/specsynth context $SPEC --project $3 --provider openai --model gpt-4o --budget 128000 --json; }
for b in A B; do eval P=\$${b}_PUB
  rm -rf $Q/st-$b; SPECSYNTH_HOME=$Q/st-$b $P/specsynth index --project $TREE > /dev/null
  $(ctx $Q/st-$b $P $TREE) > /dev/null
  if [ -n "$TOUCHTREE" ]; then rm -rf $Q/tst-$b; SPECSYNTH_HOME=$Q/tst-$b $P/specsynth index --project $TOUCHTREE > /dev/null; $(ctx $Q/tst-$b $P $TOUCHTREE) > /dev/null; fi
done
t() { local label=$1 build=$2; shift 2; /usr/bin/time -f "$label $build %e %U %S %M" -a -o $OUT "$@" > /dev/null 2>$Q/err || { echo "FAIL $label $build" >> $OUT; cat $Q/err >> $OUT; }; }
for r in $(seq 1 $R); do
  if [ $((r % 2)) = 1 ]; then order="A B"; else order="B A"; fi
  for b in $order; do eval P=\$${b}_PUB
    t cliwarm $b $(ctx $Q/st-$b $P $TREE)
    if [ -n "$TOUCHTREE" ]; then
      ${TOUCHER:?TOUCHER: a ContextBench build} --root $TOUCHTREE --touch 10 > /dev/null
      t clitouch10 $b $(ctx $Q/tst-$b $P $TOUCHTREE)
    fi
  done
  echo "round $r $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
done
