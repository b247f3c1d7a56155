#!/usr/bin/env python3
"""Medians of bench/startup/pairs.sh output: per kind, A and B wall / CPU / max RSS, and in how many rounds B was lower."""
import statistics, sys
from collections import defaultdict

rows = defaultdict(dict)
for line in open(sys.argv[1]):
    kind, build, rnd, wall, cpu, rss = line.split()
    rows[kind].setdefault(int(rnd), {})[build] = (float(wall), float(cpu), int(rss))
for kind, rounds in rows.items():
    pairs = [r for r in rounds.values() if 'A' in r and 'B' in r]
    med = lambda b, i: statistics.median(p[b][i] for p in pairs)
    lower = lambda i: sum(p['B'][i] < p['A'][i] for p in pairs)
    print(f"{kind}: {len(pairs)} pairs | wall A {med('A', 0):.3f} B {med('B', 0):.3f} s (B lower {lower(0)}/{len(pairs)}) | "
          f"CPU A {med('A', 1):.4f} B {med('B', 1):.4f} s (B lower {lower(1)}/{len(pairs)}) | "
          f"max RSS A {med('A', 2) / 1024:.0f} B {med('B', 2) / 1024:.0f} MiB")
