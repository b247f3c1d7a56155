#!/bin/bash
# Two CLI builds alternated (issue 19): ROUNDS rounds of bench/WriteBench/many-cli.sh at N specs, each round runs A and B
# once, the order swapped every round. Lines go to OUT (`<A|B> N wall user sys maxrssKB load`); the medians are printed at
# the end. The run folders are deleted only after the whole series (see many-cli.sh).
# Usage: bench/WriteBench/many-pairs.sh OUT ROUNDS N PUB_A PUB_B   (env WB, MOCK, SECOND as for many-cli.sh)
set -u
out=$1; rounds=$2; n=$3; a=$4; b=$5
here=$(cd "$(dirname "$0")" && pwd)
export SERIES=$(mktemp -d /tmp/many-pairs.XXXXXX)
trap 'rm -rf "$SERIES"' EXIT
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then order="A B"; else order="B A"; fi
  for l in $order; do
    if [ $l = A ]; then p=$a; else p=$b; fi
    RESULTS=$out bash "$here/many-cli.sh" "$p" "$n" "$l" || exit 1
  done
done
python3 - "$out" "$n" <<'EOF'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
for label in ("A", "B"):
    rs = [r for r in rows if r[0] == label and r[1] == sys.argv[2]]
    if not rs:
        continue
    wall = statistics.median(float(r[2]) for r in rs)
    cpu = [float(r[3]) + float(r[4]) for r in rs]
    rss = [int(r[5]) / 1000 for r in rs]
    loads = [float(r[6]) for r in rs]
    print(f"{label} N={sys.argv[2]} runs={len(rs)} wall {wall:.2f} s, CPU {', '.join(f'{c:.2f}' for c in cpu)} -> "
          f"{statistics.median(cpu):.2f} s ({statistics.median(cpu) / int(sys.argv[2]) * 1000:.2f} ms/spec), "
          f"peak {', '.join(f'{m:.1f}' for m in rss)} -> {statistics.median(rss):.1f} MB, load {min(loads)}-{max(loads)}")
EOF
