#!/usr/bin/env python3
"""Medians of WriteBench pairs (bench/WriteBench/pairs.sh OUTDIR): every numeric field of each run, A and B, per spec count."""
import json, statistics, sys, pathlib
from collections import defaultdict

out = pathlib.Path(sys.argv[1])
values = defaultdict(list)  # (side, path) -> values

def walk(side, node, path):
    if isinstance(node, dict):
        for k, v in node.items():
            walk(side, v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            key = str(v.get("specs", i)) if isinstance(v, dict) else str(i)
            walk(side, v, path + (key,))
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        values[(side, path)].append(node)

for f in sorted(out.glob("*.json")):
    side = f.name.split("-")[0]
    walk(side, json.loads(f.read_text()), ())

paths = sorted({p for (_, p) in values})
print(f"{'field':60} {'A median':>14} {'B median':>14} {'B/A':>7}  n")
for p in paths:
    a, b = values.get(("a", p), []), values.get(("b", p), [])
    if not a or not b:
        continue
    ma, mb = statistics.median(a), statistics.median(b)
    ratio = f"{mb / ma:7.3f}" if ma else "      -"
    print(f"{'.'.join(p):60} {ma:14.3f} {mb:14.3f} {ratio}  {len(a)}/{len(b)}")
