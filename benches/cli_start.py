#!/usr/bin/env python3
"""Wall and CPU time of `repsearch search Q` from start to exit, for each binary given
(31 runs each; run from the repository, on the sample index built by `repsearch index`).

usage: python3 benches/cli_start.py BINARY [BINARY ...]
"""
import os, subprocess, sys, time, resource, statistics
def run(bin, q, n=31):
    walls, cpus = [], []
    for i in range(n):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([bin, 'search', '--index', 'index', q], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append((time.perf_counter() - t) * 1e3)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1e3)
    return min(walls), statistics.median(walls), min(cpus), statistics.median(cpus)
for b in sys.argv[1:]:
    for q in ['robotikos', 'zzzqqq']:
        w0, wm, c0, cm = run(b, q)
        print(f'{os.path.basename(b):22s} {q:10s} wall min {w0:6.1f} med {wm:6.1f} ms   cpu min {c0:6.1f} med {cm:6.1f} ms')
