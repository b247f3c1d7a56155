"""Medians of bench/ContextBench/warm.sh rank output (warm-rank-pairs.sh): per spec, A and B rank CPU / wall and the paired B - A."""
import statistics
import sys

rows = {}
loads = []
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "load":
        loads.append(float(f[1]))
        continue
    if f[0] == "FAIL":
        print(line.strip())
        continue
    r, spec, build, cpu, wall, rescanned = f
    rows.setdefault(spec, {}).setdefault(r, {})[build] = (float(cpu), float(wall), int(rescanned))
for spec, rounds in sorted(rows.items()):
    pairs = [v for v in rounds.values() if "A" in v and "B" in v]
    med = lambda xs: statistics.median(xs)
    print(f"spec {spec}: {len(pairs)} pairs")
    for i, name in ((0, "rank CPU ms"), (1, "rank wall ms")):
        a = [p["A"][i] for p in pairs]
        b = [p["B"][i] for p in pairs]
        d = [p["B"][i] - p["A"][i] for p in pairs]
        lower = sum(1 for x in d if x < 0)
        print(f"  {name}: A {med(a):.1f}  B {med(b):.1f}  paired B-A {med(d):+.1f} (B lower in {lower}/{len(d)})")
    print(f"  rescanned: A {sorted({p['A'][2] for p in pairs})}  B {sorted({p['B'][2] for p in pairs})}")
if loads:
    print(f"load1 {min(loads):.1f}-{max(loads):.1f} (median {statistics.median(loads):.1f})")
