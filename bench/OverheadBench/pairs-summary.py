#!/usr/bin/env python3
"""Medians of paired OverheadBench runs (bench/OverheadBench/pairs.sh OUTDIR ...): for each provider and concurrency,
build A and build B side by side: added latency p50 / p99 (ms), added CPU per request (ms) and added allocation per
request (KB), each the median over the rounds. Usage: pairs-summary.py OUTDIR"""
import glob, json, os, statistics, sys

out = sys.argv[1]
rows = {}  # (provider, concurrency) -> build -> list of results
for path in sorted(glob.glob(os.path.join(out, "*-[AB].json"))):
    build = path[-6]
    try:
        data = json.load(open(path))
    except (ValueError, OSError) as e:
        print(f"skipped {path}: {e}", file=sys.stderr)
        continue
    for r in data["results"]:
        rows.setdefault((r["provider"], r["concurrency"]), {}).setdefault(build, []).append(r)

def med(results, *keys):
    values = []
    for r in results:
        v = r
        for k in keys:
            v = v[k]
        values.append(v)
    return statistics.median(values)

print("provider c  build n  added p50  added p99  added CPU/req  added KB/req  bare p50  bare CPU/req")
for (provider, c), builds in sorted(rows.items()):
    for build in sorted(builds):
        rs = builds[build]
        print(f"{provider:8} {c:<2} {build:5} {len(rs):<2} {med(rs, 'added_ms', 'p50'):9.3f}  {med(rs, 'added_ms', 'p99'):9.3f}"
              f"  {med(rs, 'cpu_ms_per_request', 'added'):13.3f}  {med(rs, 'alloc_kb_per_request', 'added'):12.2f}"
              f"  {med(rs, 'bare_ms', 'p50'):8.3f}  {med(rs, 'cpu_ms_per_request', 'bare'):12.3f}")
