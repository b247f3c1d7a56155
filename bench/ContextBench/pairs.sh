#!/bin/bash
# Paired timing of two builds, alternated run by run (issue 19): ContextBench cold / first run / warm / touched-10, the CLI
# `context` from a fresh state folder / warm / touched-10, the mock quick start and --version, each under /usr/bin/time.
# Usage: bench/ContextBench/pairs.sh A_CTXBENCH_DIR A_CLI_PUBLISH_DIR B_CTXBENCH_DIR B_CLI_PUBLISH_DIR OUT [ROUNDS]
# (ContextBench: dotnet publish bench/ContextBench -c Release -r linux-x64; CLI: dotnet publish src/SpecSynth.Cli -c Release
# -r linux-x64.) TREE (read-only), TOUCHTREE (a copy that gets touched), SPEC, SCRATCH: see defaults below. OUT gets one line per
# run: "run build wall user sys maxrss_kb"; bench/ContextBench/pairs-summary.py OUT prints the medians.
A_CTX=$1; A_PUB=$2; B_CTX=$3; B_PUB=$4; OUT=$5; R=${6:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
TREE=${TREE:-/work/bigrepo/node}; TOUCHTREE=${TOUCHTREE:-/work/bigrepo/node-idx}
# TOUCHER: a ContextBench whose --touch touches and exits (main from 57971b3 on).
TOUCHER=${TOUCHER:-$B_CTX/ContextBench}
# SPEC: ContextBench's spec 0 (BenchSpecs.All[0], its raw text without the indentation) saved as a file. On a new machine,
# bench/ContextBench/make-bench-inputs.sh makes the trees and the spec files.
SPEC=${SPEC:-/work/bigrepo/specs/spec0.md}
: > $OUT
# Q: the scratch folder for the runs' index and state folders (two pair runs at once need different ones).
Q=${SCRATCH:-/tmp/specsynth-pairs}; mkdir -p $Q
# A CLI run that finds no context index leaves a detached `specsynth index` building it ([context] index_build =
# "background"): every timing first waits until none is left, so a child never runs during the next measurement and the
# runs after a first one (cliwarm, clitouch10) read a finished index, as before.
IDXPAT='(specsynth|SpecSynth\.Cli\.dll) index --project'
waitidx() { while pgrep -f -- "$IDXPAT" > /dev/null; do sleep 0.2; done; }
t() { waitidx; local label=$1 build=$2; shift 2; /usr/bin/time -f "$label $build %e %U %S %M" -a -o $OUT "$@" > /dev/null 2>$Q/err || { echo "FAIL $label $build" >> $OUT; cat $Q/err >> $OUT; }; }
# prepare touched index dirs
for b in A B; do eval C=\$${b}_CTX; eval P=\$${b}_PUB; rm -rf $Q/tidx-$b $Q/tst-$b; $C/ContextBench --root $TOUCHTREE --spec 0 --iterations 1 --index $Q/tidx-$b > /dev/null; SPECSYNTH_HOME=$Q/tst-$b $P/specsynth context $SPEC --project $TOUCHTREE --provider openai --model gpt-4o --budget 128000 --json > /dev/null; waitidx; done
# cliindex: `specsynth index` in the foreground from a fresh state folder (what the background child costs), for the
# builds that have the command.
for b in A B; do eval P=\$${b}_PUB; $P/specsynth --help | grep -q "^  index " && eval HASINDEX_$b=1; done
for r in $(seq 1 $R); do
  for b in A B; do eval C=\$${b}_CTX; eval P=\$${b}_PUB
    t cold $b $C/ContextBench --root $TREE --spec 0 --iterations 1
    rm -rf $Q/idx-$b; t first $b $C/ContextBench --root $TREE --spec 0 --iterations 1 --index $Q/idx-$b
    t warm $b $C/ContextBench --root $TREE --spec 0 --iterations 1 --index $Q/idx-$b
    t warm2 $b $C/ContextBench --root $TREE --spec 0 --iterations 1 --index $Q/idx-$b
    $TOUCHER --root $TOUCHTREE --touch 10 > /dev/null
    t touch10 $b $C/ContextBench --root $TOUCHTREE --spec 0 --iterations 1 --index $Q/tidx-$b
    $TOUCHER --root $TOUCHTREE --touch 10 > /dev/null; sleep 3
    t touch10s $b $C/ContextBench --root $TOUCHTREE --spec 0 --iterations 1 --index $Q/tidx-$b
    $TOUCHER --root $TOUCHTREE --touch 10 > /dev/null
    t clitouch10 $b env SPECSYNTH_HOME=$Q/tst-$b $P/specsynth context $SPEC --project $TOUCHTREE --provider openai --model gpt-4o --budget 128000 --json
    rm -rf $Q/st-$b; t clifirst $b env SPECSYNTH_HOME=$Q/st-$b $P/specsynth context $SPEC --project $TREE --provider openai --model gpt-4o --budget 128000 --json
    t cliwarm $b env SPECSYNTH_HOME=$Q/st-$b $P/specsynth context $SPEC --project $TREE --provider openai --model gpt-4o --budget 128000 --json
    t cliwarm2 $b env SPECSYNTH_HOME=$Q/st-$b $P/specsynth context $SPEC --project $TREE --provider openai --model gpt-4o --budget 128000 --json
    if [ -n "$(eval echo \$HASINDEX_$b)" ]; then rm -rf $Q/si-$b; t cliindex $b env SPECSYNTH_HOME=$Q/si-$b $P/specsynth index --project $TREE --json; fi
    t mock $b $root/bench/startup/mock-run.sh $P
    t version $b $P/specsynth --version
  done
  echo "round $r $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
done
