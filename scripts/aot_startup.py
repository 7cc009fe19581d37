#!/usr/bin/env python3
"""Startup time and memory of the conformance server: Native AOT, JIT and CPython's, side by side in one run.

    python3 scripts/aot_startup.py --aot artifacts/aot/server/Conformance.Server \\
        --jit suite/Conformance.Server/bin/Release/net10.0/Conformance.Server.dll [--runs 20] [--calls 1000]

Each run starts every server in turn (round-robin, so the machine's noise falls on all alike) with
--port 0 on 127.0.0.1 and measures the wall time from just before the process is spawned to the moment its
JSON ready line has been read, and its resident set (VmRSS of /proc/PID/status) right after the ready line.
After the runs, each server is started once more and answers CALLS add(7, 3) calls from one client
(xmlrpc.client, a connection per call as CPython's HTTP/1.0 server needs), then its RSS is read again.
Prints the medians and the ratios to the AOT server. Standard library only; Linux (/proc).
"""
from __future__ import print_function

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

try:
    import xmlrpc.client as xmlrpclib
except ImportError:  # Python 2
    import xmlrpclib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmRSS for pid %d" % pid)


def start(command):
    """Spawns the server; returns (process, seconds to the ready line, url)."""
    args = command + ["--host", "127.0.0.1", "--port", "0", "--max-lifetime", "120", "--fixtures", os.path.join(ROOT, "fixtures")]
    began = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    line = process.stdout.readline()
    elapsed = time.perf_counter() - began
    ready = json.loads(line.decode("utf-8"))
    if ready.get("event") != "ready":
        raise RuntimeError("%s: no ready line: %r" % (command[0], line))
    return process, elapsed, ready["url"]


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--aot", required=True, help="the Native AOT Conformance.Server executable")
    parser.add_argument("--jit", required=True, help="Conformance.Server.dll of a Release build (run with dotnet)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs python-peers/server.py")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()

    servers = [
        ("Native AOT", [os.path.abspath(args.aot)]),
        ("JIT (dotnet Conformance.Server.dll)", ["dotnet", os.path.abspath(args.jit)]),
        ("CPython %d.%d server.py" % sys.version_info[:2] if args.python == sys.executable else "CPython server.py (%s)" % args.python,
         [args.python, "-u", os.path.join(ROOT, "python-peers", "server.py")]),
    ]
    startup = dict((name, []) for name, _ in servers)
    rss_ready = dict((name, []) for name, _ in servers)
    for _ in range(args.runs):
        for name, command in servers:
            process, elapsed, _ = start(command)
            try:
                startup[name].append(elapsed * 1000)
                rss_ready[name].append(rss_mib(process.pid))
            finally:
                stop(process)

    rss_loaded = {}
    for name, command in servers:
        process, _, url = start(command)
        try:
            proxy = xmlrpclib.ServerProxy(url)
            for _ in range(args.calls):
                if proxy.add(7, 3) != 10:
                    raise RuntimeError(name + ": add(7, 3) is not 10")
            rss_loaded[name] = rss_mib(process.pid)
        finally:
            stop(process)

    aot = servers[0][0]
    print("%d runs each, %d calls, %d cores; medians (min-max)" % (args.runs, args.calls, os.cpu_count() or 0))
    print("| server | start to ready line | vs AOT | RSS after ready | vs AOT | RSS after %d calls | vs AOT |" % args.calls)
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, _ in servers:
        s, r = statistics.median(startup[name]), statistics.median(rss_ready[name])
        print("| %s | %.1f ms (%.1f-%.1f) | %.1fx | %.1f MiB | %.1fx | %.1f MiB | %.1fx |" % (
            name, s, min(startup[name]), max(startup[name]), s / statistics.median(startup[aot]),
            r, r / statistics.median(rss_ready[aot]), rss_loaded[name], rss_loaded[name] / rss_loaded[aot]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
