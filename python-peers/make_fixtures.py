#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Write the golden tree: for every catalog case, the exact bytes and results CPython produces.

    python3 python-peers/make_fixtures.py              rewrite fixtures/golden
    python3 python-peers/make_fixtures.py --out DIR    write the whole golden tree into DIR
    python3 python-peers/make_fixtures.py --check      regenerate with every interpreter found
                                                       (python3, pyenv 2.7 and 3.6-3.13) and list,
                                                       per interpreter, the golden files that differ

Per case (fixtures/README.md):
  call       <id>.request.xml   what ServerProxy(allow_none=True) sends
             <id>.response.xml  what SimpleXMLRPCDispatcher answers (the conformance service)
  multicall  same, for one system.multicall request built like xmlrpc.client.MultiCall
  document   (parse-only) nothing but the observation
  http       (transport) the observation from a real SimpleXMLRPCServer on 127.0.0.1
  all        <id>.cpython.json  what CPython did: decoded values, faults, errors, statuses

Standard library only; runs on Python 2.7 and 3.6+. Running it twice gives identical bytes.
"""
from __future__ import print_function, unicode_literals

import argparse
import base64
import difflib
import filecmp
import fnmatch
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance as c  # noqa: E402

xmlrpclib = c.xmlrpclib
# Shared with client.py: both must observe CPython in exactly the same way.
error_model = c.error_model
decode_document = c.decode_document
response_observation = c.response_observation
make_request = c.make_request
multicall_results = c.multicall_results
http_exchange = c.http_exchange
http_observation = c.http_observation


# CPython prints a DateTime or Binary inside a list or dict by its default repr, with the object's address:
# "<DateTime '20250101T00:00:00' at 0x7f3a2c1b93d0>" (2.7: "at 7f3a2c1b93d0"). The address is the process's own
# (id()) and changes on every run, so the golden tree writes it as 0x0 to stay reproducible; nothing else is touched.
OBJECT_ADDRESS = re.compile(br" at (0x)?[0-9a-fA-F]+(?=&gt;)")


def without_object_addresses(response):
    return OBJECT_ADDRESS.sub(b" at 0x0", response)


def write_bytes(path, data):
    d = os.path.dirname(path)
    if not os.path.isdir(d):
        os.makedirs(d)
    with open(path, "wb") as f:
        f.write(data)


def write_json(path, obj):
    text = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, separators=(",", ": "))
    if not isinstance(text, c.text_type):
        text = text.decode("utf-8")
    write_bytes(path, (text + "\n").encode("utf-8"))


def golden_call(case, fixtures, dispatcher, out):
    """Request bytes, the dispatcher's response bytes, and the observation of both."""
    base = os.path.join(out, case["area"], case["id"])
    obs = {}
    try:
        if "multicall" in case:
            calls = [{"methodName": m["method"], "params": [c.from_model(p, fixtures) for p in m.get("params", [])]}
                     for m in case["multicall"]]
            request = make_request("system.multicall", [calls], None)
        else:
            call = case["call"]
            request = make_request(call["method"], [c.from_model(p, fixtures) for p in call.get("params", [])],
                                   call.get("encoding"))
    except Exception as e:
        obs["sendError"] = error_model(e)
        write_json(base + ".cpython.json", obs)
        return
    write_bytes(base + ".request.xml", request)
    received = decode_document(request)
    obs["received"] = received["decodes"]["params"] if "decodes" in received else received
    try:
        response = dispatcher._marshaled_dispatch(request)
    except Exception as e:  # Python 2.7 cannot format a fault for a non-ASCII exception message
        obs["serverError"] = error_model(e)
        write_json(base + ".cpython.json", obs)
        return
    if not isinstance(response, bytes):
        response = response.encode("utf-8")
    response = without_object_addresses(response)
    obs["response"] = response_observation(response)
    if "resultType" in case["expect"] and "result" in obs["response"]:
        # The value changes from run to run (today()): keep only its type, and no response bytes,
        # so that the golden tree stays reproducible.
        obs["response"] = {"resultType": list(obs["response"]["result"].keys())[0]}
    else:
        write_bytes(base + ".response.xml", response)
    if "multicall" in case and "result" in obs["response"]:
        obs["response"] = {"results": multicall_results(obs["response"]["result"])}
    write_json(base + ".cpython.json", obs)


# --- http cases: a real SimpleXMLRPCServer on loopback (the exchange itself is in conformance.py) --

class QuietHandler(c.SimpleXMLRPCRequestHandler):
    def log_message(self, *args):
        pass


def start_server(fixtures):
    server = c.SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=QuietHandler, logRequests=False,
                                  allow_none=True)
    c.register_service(server, fixtures)
    t = threading.Thread(target=server.serve_forever)
    t.daemon = True
    t.start()
    return server


# --- driver -------------------------------------------------------------------------------------

def generate(out, fixtures):
    cases = c.load_catalog(fixtures)
    dispatcher = c.new_dispatcher(fixtures)
    server = None
    try:
        for case in cases:
            if case.get("retired"):
                continue
            base = os.path.join(out, case["area"], case["id"])
            if "call" in case or "multicall" in case:
                golden_call(case, fixtures, dispatcher, out)
            elif "document" in case or "documentBase64" in case:
                data = (case["document"].encode("utf-8") if "document" in case
                        else base64.b64decode(case["documentBase64"].encode("ascii")))
                write_json(base + ".cpython.json", decode_document(data))
            elif "http" in case:
                if server is None:
                    server = start_server(fixtures)
                raw = http_exchange(case["http"], server.server_address[1])
                write_json(base + ".cpython.json", http_observation(raw))
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    return len(cases)


def disagreements(out, fixtures):
    """Case ids whose intent CPython does not meet, unless known-issues.json lists a cpython.self cell."""
    with io.open(os.path.join(fixtures, "known-issues.json"), encoding="utf-8") as f:
        known = json.load(f)
    found = []
    for case in c.load_catalog(fixtures):
        path = os.path.join(out, case["area"], case["id"] + ".cpython.json")
        with io.open(path, encoding="utf-8") as f:
            obs = json.load(f)
        if c.meets(case["expect"], obs, case.get("compare") == "ordered", fixtures):
            continue
        if any("cpython.self" in k["cells"] and any(fnmatch.fnmatchcase(case["id"], p) for p in k["cases"]) for k in known):
            continue
        found.append((case["id"], obs))
    return found


def interpreters():
    """python3 on PATH, then every pyenv interpreter present: (label, path)."""
    found = []
    seen = set()
    for exe in [shutil.which("python3") if hasattr(shutil, "which") else None]:
        if exe:
            found.append(("python3", exe))
            seen.add(os.path.realpath(exe))
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for d in sorted(glob.glob(os.path.join(root, "versions", "*")), key=version_key):
        name = os.path.basename(d)
        exe = os.path.join(d, "bin", "python")
        if os.path.isfile(exe) and os.path.realpath(exe) not in seen:
            found.append((name, exe))
            seen.add(os.path.realpath(exe))
    return found


def version_key(path):
    try:
        return tuple(int(p) for p in os.path.basename(path).split("."))
    except ValueError:
        return (999,)


def differing_files(a, b):
    """Relative paths that differ between two trees (either side missing counts)."""
    out = []
    for root, _, files in os.walk(a):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), a)
            other = os.path.join(b, rel)
            if not os.path.isfile(other) or not filecmp.cmp(os.path.join(root, name), other, shallow=False):
                out.append(rel)
    for root, _, files in os.walk(b):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), b)
            if not os.path.isfile(os.path.join(a, rel)):
                out.append(rel)
    return sorted(set(out))


def check(fixtures, verbose, jobs=2):
    """Regenerate with every interpreter (a few at a time); print per interpreter which golden files differ."""
    golden = os.path.join(fixtures, "golden")
    script = os.path.abspath(__file__)
    found = list(interpreters())
    results = [None] * len(found)

    def run(i, label, exe):
        tmp = tempfile.mkdtemp(prefix="golden-")
        try:
            proc = subprocess.Popen([exe, script, "--out", tmp, "--fixtures", fixtures],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            output = proc.communicate()[0].decode("utf-8", "replace")
            if proc.returncode != 0:
                results[i] = {"interpreter": label, "error": output.strip().splitlines()[-1:]}
                return
            version = subprocess.check_output([exe, "-c", "import sys; print(sys.version.split()[0])"])
            diffs = differing_files(golden, tmp)
            shown = [(rel, show_diff_text(os.path.join(golden, rel), os.path.join(tmp, rel)) if verbose else "")
                     for rel in diffs]
            results[i] = {"interpreter": label, "version": version.decode().strip(), "differs": diffs, "_shown": shown}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    gate = threading.Semaphore(max(1, jobs))

    def guarded(*a):
        with gate:
            run(*a)

    threads = [threading.Thread(target=guarded, args=(i, label, exe)) for i, (label, exe) in enumerate(found)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    for r in results:
        if "error" in r:
            print("%-10s FAILED: %s" % (r["interpreter"], r["error"]))
            continue
        shown = r.pop("_shown")
        print("%-10s %-8s %d file(s) differ" % (r["interpreter"], r["version"], len(r["differs"])))
        for rel, text in shown[: (None if verbose else 15)]:
            print("    " + rel)
            sys.stdout.write(text)
        if not verbose and len(shown) > 15:
            print("    ... (%d more; --verbose lists all)" % (len(shown) - 15))
    return results


def compare_with_record(report, record_path):
    """Differences between this drift run and the recorded one, per Python version present on both sides."""
    with open(record_path) as f:
        recorded = dict((r["version"], set(r["differs"])) for r in json.load(f) if "version" in r)
    problems = []
    for r in report:
        if "version" not in r:
            continue
        if r["version"] not in recorded:
            # Another patch release than the record's: a fact to record (--json), not a regression.
            print("%-10s %-8s not recorded in %s: %d file(s) differ" % (r["interpreter"], r["version"], record_path, len(r["differs"])))
            continue
        now, then = set(r["differs"]), recorded[r["version"]]
        for rel in sorted(now - then):
            print("%-10s %-8s now differs, not recorded: %s" % (r["interpreter"], r["version"], rel))
        for rel in sorted(then - now):
            print("%-10s %-8s recorded as differing, now identical: %s" % (r["interpreter"], r["version"], rel))
        if now != then:
            problems.append(r["version"])
    absent = sorted(set(recorded) - set(r.get("version") for r in report))
    if absent:
        print("recorded but not on this machine (not checked): %s" % ", ".join(absent))
    print("drift %s the record %s" % ("differs from" if problems else "matches", record_path))
    return problems


def show_diff_text(a, b):
    def lines(p):
        if not os.path.isfile(p):
            return []
        with open(p, "rb") as f:
            return f.read().decode("utf-8", "replace").splitlines(True)
    out = []
    for line in difflib.unified_diff(lines(a), lines(b), "golden", "this interpreter", n=1):
        out.append("      " + line if line.endswith("\n") else "      " + line + "\n")
    return "".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write the CPython-made golden tree of the case catalog.")
    parser.add_argument("--out", help="write the golden tree here (default: rewrite fixtures/golden)")
    parser.add_argument("--fixtures", help="the fixtures/ folder (default: found beside python-peers/)")
    parser.add_argument("--check", action="store_true",
                        help="regenerate with every interpreter found and list differing files per interpreter")
    parser.add_argument("--json", help="with --check: also write the drift report as JSON to this file")
    parser.add_argument("--against", metavar="FILE",
                        help="with --check: exit 1 unless the drift equals the one recorded in FILE (fixtures/drift.json)")
    parser.add_argument("--jobs", type=int, default=2, help="with --check: interpreters run at a time (default 2)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when CPython does not meet a case's intent (and no known issue explains it)")
    parser.add_argument("--verbose", action="store_true", help="with --check: show every diff")
    args = parser.parse_args(argv)
    fixtures = c.find_fixtures(args.fixtures)
    if args.check:
        report = check(fixtures, args.verbose, args.jobs)
        if args.json:
            write_json(args.json, report)
        failed = any("error" in r for r in report)
        if args.against:
            failed = bool(compare_with_record(report, args.against)) or failed
        return 1 if failed else 0
    out = args.out or os.path.join(fixtures, "golden")
    if not args.out and os.path.isdir(out):
        shutil.rmtree(out)  # stale files of renamed or retired cases must not survive
    n = generate(out, fixtures)
    print("%d cases -> %s (Python %s)" % (n, out, c.python_version()))
    bad = disagreements(out, fixtures)
    for case_id, obs in bad:
        print("  intent not met by CPython: %s: %s" % (case_id, json.dumps(obs, sort_keys=True)[:300]))
    return 1 if bad and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
