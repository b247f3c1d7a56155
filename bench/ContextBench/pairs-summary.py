#!/usr/bin/env python3
# Medians of bench/ContextBench/pairs.sh and warm.sh cli output: wall, CPU (user + sys), largest peak RSS, per run kind and build.
import sys,statistics as st,collections
d=collections.defaultdict(list)
for line in open(sys.argv[1]):
    p=line.split()
    if len(p)==6 and p[1] in 'AB':
        try: d[(p[0],p[1])].append((float(p[2]),float(p[3])+float(p[4]),int(p[5])/1024))
        except: pass
labels=[]
for (l,b) in d:
    if l not in labels: labels.append(l)
print(f"{'run':12} {'A wall':>7} {'A cpu':>6} {'A MiB':>6} | {'B wall':>7} {'B cpu':>6} {'B MiB':>6}  n")
for l in labels:
    row=[]
    for b in 'AB':
        v=d.get((l,b),[])
        if v: row+= [st.median(x[0] for x in v), st.median(x[1] for x in v), max(x[2] for x in v)]
        else: row+=[0,0,0]
    print(f"{l:12} {row[0]:7.3f} {row[1]:6.2f} {row[2]:6.0f} | {row[3]:7.3f} {row[4]:6.2f} {row[5]:6.0f}  {len(d.get((l,'A'),[]))}")
