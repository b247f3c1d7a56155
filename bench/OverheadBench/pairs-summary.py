#!/usr/bin/env python3
"""Medians of paired OverheadBench runs (bench/OverheadBench/pairs.sh OUTDIR ...): for each provider and concurrency,
build A and build B side by side: added latency p50 / p99 (ms), added CPU per request (ms) and added allocation per
request (KB), each the median over the rounds; then, for builds whose JSON has them, the runtime's counters per request
(thread-pool work items, GC pause, contended locks: added = full - bare) and the full client's GCs per 1,000 requests by
generation. Usage: pairs-summary.py OUTDIR"""
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

def has(results, key):
    return all(key in r for r in results)

counted = [(k, b, rs) for k, builds in sorted(rows.items()) for b, rs in sorted(builds.items()) if has(rs, "work_items_per_request")]
if counted:
    print()
    print("provider c  build n  added items/req  added pause ms/req  added contentions/req  full GCs/1000 gen0 gen1 gen2")
    for (provider, c), build, rs in counted:
        print(f"{provider:8} {c:<2} {build:5} {len(rs):<2} {med(rs, 'work_items_per_request', 'added'):15.2f}"
              f"  {med(rs, 'gc_pause_ms_per_request', 'added'):18.4f}  {med(rs, 'lock_contentions_per_request', 'added'):21.3f}"
              f"  {'':13}{med(rs, 'gc_per_1000', 'full', 'gen0'):5.1f}{med(rs, 'gc_per_1000', 'full', 'gen1'):5.1f}"
              f"{med(rs, 'gc_per_1000', 'full', 'gen2'):5.1f}")
