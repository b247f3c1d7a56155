#!/usr/bin/env python3
"""Runs a command (stdout to the file given, stderr dropped) and prints: wall_s cpu_s max_kib exit_code, CPU in microseconds
from wait4's rusage (/usr/bin/time's %U/%S round to 10 ms). Usage: rusage.py OUT_FILE COMMAND..."""
import os, subprocess, sys, time

with open(sys.argv[1], "wb") as out:
    t0 = time.perf_counter()
    proc = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
print(f"{wall:.4f} {ru.ru_utime + ru.ru_stime:.4f} {ru.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
