#!/usr/bin/env bash
# Two CLI publishes alternated run by run (the order swapped every round): a warm `specsynth context` of spec 0 over the
# Node.js tree, the mock quick start (mock-run.sh) and `--version`. One line per run: kind build round wall_s cpu_s max_kib.
# Usage: bench/startup/pairs.sh PUB_A PUB_B OUT_FILE [ROUNDS_WARM=20] [ROUNDS_MOCK=15] [ROUNDS_VERSION=15]
#   env: TREE (default /work/bigrepo/node), SPEC (default /work/bigrepo/specs/spec0.md), SCRATCH (default /tmp/startup-pairs)
# Wall and CPU (user + system, microseconds) from bench/startup/rusage.py. Each build gets its own warm state folder (SCRATCH/state-A, state-B: `specsynth index` then one `context` run first).
# Summary: python3 bench/startup/pairs-summary.py OUT_FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
a=$1; b=$2; out=$3; nw=${4:-20}; nm=${5:-15}; nv=${6:-15}
tree=${TREE:-/work/bigrepo/node}; spec=${SPEC:-/work/bigrepo/specs/spec0.md}; scratch=${SCRATCH:-/tmp/startup-pairs}
mkdir -p "$scratch"; : > "$out"
pub() { [ "$1" = A ] && echo "$a" || echo "$b"; }
for k in A B; do
  SPECSYNTH_HOME=$scratch/state-$k "$(pub $k)"/specsynth index --project "$tree" > /dev/null
  SPECSYNTH_HOME=$scratch/state-$k "$(pub $k)"/specsynth context "$spec" --project "$tree" --provider openai --model gpt-4o \
    --budget 128000 --json > "$scratch/ref-$k.json"
done
cmp "$scratch/ref-A.json" "$scratch/ref-B.json" || { echo "the two builds' --json differ" >&2; exit 1; }
one() { # kind build round command...
  local kind=$1 k=$2 r=$3; shift 3
  local w c m rc
  read -r w c m rc < <(python3 "$root"/bench/startup/rusage.py "$scratch/o" "$@")
  [ "$rc" = 0 ] || { echo "$kind run of $k failed (exit $rc, round $r)" >&2; exit 1; }
  if [ "$kind" = warm ] && ! cmp -s "$scratch/o" "$scratch/ref-$k.json"; then echo "warm output of $k differs (round $r)" >&2; exit 1; fi
  echo "$kind $k $r $w $c $m" >> "$out"
}
rounds() { # kind n command-builder
  local kind=$1 n=$2 r k
  for r in $(seq "$n"); do
    for k in $([ $((r % 2)) = 1 ] && echo "A B" || echo "B A"); do
      case $kind in
        warm) one warm $k "$r" env SPECSYNTH_HOME="$scratch/state-$k" "$(pub $k)"/specsynth context "$spec" --project "$tree" \
                --provider openai --model gpt-4o --budget 128000 --json ;;
        mock) one mock $k "$r" sh "$root"/bench/startup/mock-run.sh "$(pub $k)" ;;
        version) one version $k "$r" "$(pub $k)"/specsynth --version ;;
      esac
    done
  done
}
rounds warm "$nw"; rounds mock "$nm"; rounds version "$nv"
