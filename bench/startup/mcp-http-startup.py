#!/usr/bin/env python3
"""Time from spawning `specsynth mcp --http PORT` in a folder to its first 200 for initialize; the inotify watches it
then holds, its RSS. Usage: mcp-http-startup.py FOLDER PAIRS PUBDIR_A PUBDIR_B (alternated, order swapped every pair).
docs/benchmarks.md, session 13, helper mcphost."""
import json, os, shutil, socket, subprocess, sys, tempfile, time, http.client, signal, glob

INIT = json.dumps({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})

def watches(pid):
    n = 0
    for f in glob.glob(f"/proc/{pid}/fdinfo/*"):
        try:
            with open(f) as h:
                n += sum(1 for l in h if l.startswith("inotify wd:"))
        except OSError:
            pass
    return n

def children(pid):
    try:
        return open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        return []

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def run(pub, folder, port, env):
    t0 = time.perf_counter()
    p = subprocess.Popen([f"{pub}/specsynth", "mcp", "--http", str(port)], cwd=folder, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("POST", "/mcp", INIT, {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
            r = c.getresponse(); r.read(); c.close()
            if r.status == 200:
                break
        except OSError:
            pass
        if p.poll() is not None:
            raise SystemExit("server ended: " + p.stderr.read().decode())
        time.sleep(0.005)
    t1 = time.perf_counter()
    time.sleep(0.5)
    w = watches(p.pid)
    kids = children(p.pid)
    rss = int([l for l in open(f"/proc/{p.pid}/status") if l.startswith("VmRSS")][0].split()[1])
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill(); p.wait()
    return {"ms": round((t1 - t0) * 1000, 1), "watches": w, "children": kids, "rss_kb": rss}

if __name__ == "__main__":
    folder, pairs = sys.argv[1], int(sys.argv[2])
    pubs = sys.argv[3:]
    state = tempfile.mkdtemp(prefix="mcp-http-startup-")
    env = dict(os.environ, SPECSYNTH_HOME=os.path.join(state, "home"), HOME=os.path.join(state, "user"))
    res = {pub: [] for pub in pubs}
    for i in range(pairs):
        for pub in (pubs if i % 2 == 0 else list(reversed(pubs))):
            r = run(pub, folder, free_port(), env)
            res[pub].append(r)
            print(pub, i, r, flush=True)
    for pub, rs in res.items():
        ms = sorted(r["ms"] for r in rs)
        print(f"{pub}: median {ms[len(ms)//2]} ms (min {ms[0]}, max {ms[-1]}), watches {sorted(set(r['watches'] for r in rs))}, rss_kb median {sorted(r['rss_kb'] for r in rs)[len(rs)//2]}")
    shutil.rmtree(state, ignore_errors=True)
