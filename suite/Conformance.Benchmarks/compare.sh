#!/usr/bin/env bash
# Our codec against CPython's xmlrpc.client on the same payload, in the same run.
#
#   suite/Conformance.Benchmarks/compare.sh            (PYTHON=python3.11 to choose the interpreter)
#
# CPython builds the payload with xmlrpc.client.dumps and times dumps/loads; the .NET side builds the same
# payload with XmlRpcFormatter (the SHA-256 of both documents must match) and times parse, write and a bare
# XmlReader read-through of the same bytes. Four lines come out: parse and write ratios vs CPython, parse
# vs XmlReader, and allocations per parse vs document size.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-$(command -v python3.11 || command -v python3)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$python" - > "$work/cpython.json" <<'PY'
import datetime, hashlib, json, sys, time
import xmlrpc.client as x

items = [{"id": i, "name": "item <%d> & co" % i, "price": i * 1.25 + 0.1, "active": i % 2 == 0,
          "created": datetime.datetime(2024, 1, 2, 3, 4, 5), "tags": ["alpha", "beta", "gamma"],
          "blob": x.Binary(bytes(range(32)))} for i in range(1000)]
large = x.dumps((items,), methodresponse=True).encode("utf-8")
tiny = x.dumps((2, 3), "add").encode("utf-8")

def measure(f):
    """(min, median) seconds per call over ~5 ms samples for ~2.5 s after a warm-up (the .NET side does the same)."""
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.3 or calls < 3:
        f(); calls += 1
    per_sample = max(1, int(calls * 0.005 / (time.perf_counter() - t0)))
    samples, start = [], time.perf_counter()
    while time.perf_counter() - start < 2.5 or len(samples) < 5:
        t0 = time.perf_counter()
        for _ in range(per_sample):
            f()
        samples.append((time.perf_counter() - t0) / per_sample)
    samples.sort()
    return samples[0], samples[len(samples) // 2]

loads_large = measure(lambda: x.loads(large))
dumps_large = measure(lambda: x.dumps((items,), methodresponse=True).encode("utf-8"))

print(json.dumps({
    "python": sys.version.split()[0],
    "payload_bytes": len(large),
    "payload_sha256": hashlib.sha256(large).hexdigest(),
    "loads_large_s": loads_large[0],
    "dumps_large_s": dumps_large[0],
    "loads_large_median_s": loads_large[1],
    "dumps_large_median_s": dumps_large[1],
    "loads_tiny_s": measure(lambda: x.loads(tiny))[0],
    "dumps_tiny_s": measure(lambda: x.dumps((2, 3), "add").encode("utf-8"))[0],
}))
PY

sha="$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["payload_sha256"])' "$work/cpython.json")"
dotnet run -c Release --project "$here/Conformance.Benchmarks.csproj" -- --quick --verify-payload "$sha" > "$work/dotnet.json"

"$python" - "$work/cpython.json" "$work/dotnet.json" <<'PY'
import json, sys
py = json.load(open(sys.argv[1]))
cs = json.load(open(sys.argv[2]))
ms = lambda s: "%.3f ms" % (s * 1000)
us = lambda s: "%.2f us" % (s * 1e6)
print("timings: minimum per call over ~5 ms samples (timeit convention); medians in the last line")
print("payload: %d bytes (identical SHA-256 from CPython %s and %s); tiny call add(2, 3)" % (py["payload_bytes"], py["python"], cs["runtime"]))
r = py["loads_large_s"] / cs["parse_large_s"]
print("parse ratio vs CPython:         %6.1fx  (%s vs %s; tiny %s vs %s = %.1fx)  target >= 30x %s" % (
    r, ms(cs["parse_large_s"]), ms(py["loads_large_s"]), us(cs["parse_tiny_s"]), us(py["loads_tiny_s"]),
    py["loads_tiny_s"] / cs["parse_tiny_s"], "OK" if r >= 30 else "MISSED"))
r = py["dumps_large_s"] / cs["write_large_s"]
print("write ratio vs CPython:         %6.1fx  (%s vs %s; tiny %s vs %s = %.1fx)  target >= 20x %s" % (
    r, ms(cs["write_large_s"]), ms(py["dumps_large_s"]), us(cs["write_tiny_s"]), us(py["dumps_tiny_s"]),
    py["dumps_tiny_s"] / cs["write_tiny_s"], "OK" if r >= 20 else "MISSED"))
r = cs["xmlreader_large_s"] / cs["parse_large_s"]
print("parse speed vs bare XmlReader:  %6.0f%%  (%s vs XmlReader read-through %s)  target >= 50%% %s" % (
    r * 100, ms(cs["parse_large_s"]), ms(cs["xmlreader_large_s"]), "OK" if r >= 0.5 else "MISSED"))
r = cs["parse_large_allocated_bytes"] / cs["payload_bytes"]
print("allocations / document size:    %6.2fx  (%d bytes allocated per parse of %d bytes)  target <= 3x %s" % (
    r, cs["parse_large_allocated_bytes"], cs["payload_bytes"], "OK" if r <= 3 else "MISSED"))
print("medians (noise check):          parse %.1fx, write %.1fx, parse vs XmlReader %.0f%%" % (
    py["loads_large_median_s"] / cs["parse_large_median_s"], py["dumps_large_median_s"] / cs["write_large_median_s"],
    100 * cs["xmlreader_large_median_s"] / cs["parse_large_median_s"]))
PY
