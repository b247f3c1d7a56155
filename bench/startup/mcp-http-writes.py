#!/usr/bin/env python3
"""CPU an idle `specsynth mcp --http` spends while 2,000 files are written below its working folder (200 directories).
Usage: mcp-http-writes.py PAIRS PUBDIR_A PUBDIR_B [SCRATCH]. docs/benchmarks.md, session 13, helper mcphost."""
import os, sys, time, shutil
sys.path.insert(0, os.path.dirname(__file__))
import importlib
startup = importlib.import_module("mcp-http-startup")
import subprocess, signal, http.client

def cpu_ms(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")

def run(pub, folder, port, env):
    p = subprocess.Popen([f"{pub}/specsynth", "mcp", "--http", str(port)], cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("POST", "/mcp", startup.INIT, {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
            r = c.getresponse(); r.read(); c.close()
            if r.status == 200: break
        except OSError: pass
        time.sleep(0.01)
    time.sleep(2)
    before = cpu_ms(p.pid)
    for i in range(2000):
        with open(os.path.join(folder, f"d{i % 200}", f"w{i}.txt"), "w") as h: h.write("x")
    time.sleep(2)
    after = cpu_ms(p.pid)
    p.send_signal(signal.SIGTERM); p.wait(10)
    return after - before

scratch = sys.argv[4] if len(sys.argv) > 4 else "/tmp/mcp-http-writes"
folder = os.path.join(scratch, "proj")
env = dict(os.environ, SPECSYNTH_HOME=os.path.join(scratch, "home"), HOME=os.path.join(scratch, "user"))
res = {pub: [] for pub in sys.argv[2:4]}
for i in range(int(sys.argv[1])):
    for pub in (sys.argv[2:4] if i % 2 == 0 else list(reversed(sys.argv[2:4]))):
        shutil.rmtree(folder, ignore_errors=True)
        for d in range(200): os.makedirs(os.path.join(folder, f"d{d}"))
        ms = run(pub, folder, startup.free_port(), env)
        res[pub].append(ms)
        print(pub, i, ms, flush=True)
for pub, v in res.items():
    v.sort(); print(f"{pub}: CPU during 2,000 writes median {v[len(v)//2]} ms {v}")
