#!/usr/bin/env python3
"""Judge a foreign client's JSON lines with the CPython client's own judge (python-peers/client.py).

    python3 suite/foreign-peers/xmlrpc-c/client.py --url URL | python3 suite/foreign-peers/judge.py [--fixtures DIR] [--quiet]

For development and CI self-checks only; the compatibility report judges observations with the C#
judge. Per case: pass / deviation / missing / fail (with the same `detail` wording as client.py),
the describe step included; last line: the counts. Exit 0 whatever the outcomes.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "python-peers"))
import client as py_client  # noqa: E402
import conformance as c  # noqa: E402


def judge_line(case, line, fixtures):
    obs = line["observation"]
    outcome, met = py_client.judge(case, obs, fixtures)
    if outcome not in ("pass", "deviation"):
        if outcome == "missing":
            return outcome, "the server does not implement %s" % met
        return outcome, "expected %s, got %s" % (py_client.short(case["expect"]), py_client.short(obs))
    call = case.get("call") or {}
    if call.get("method") == "echo" and len(call.get("params", [])) == 1 and "result" in met:
        d = (line.get("describe") or {}).get("response") or {}
        if "fault" in d and py_client.is_not_supported(d["fault"], "describe"):
            return "missing", "echo passed; the server does not implement describe"
        described = None
        if "string" in d.get("result", {}):
            try:
                described = json.loads(d["result"]["string"])
            except ValueError:
                pass
        expected = py_client.resolve(met["result"], fixtures)
        if described is None or not c.same(expected, described, case.get("compare") == "ordered"):
            return "fail", "echo passed; describe: the server decoded %s, expected %s" % (
                py_client.short(described if described is not None else line.get("describe")), py_client.short(expected))
    return outcome, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures")
    ap.add_argument("--quiet", action="store_true", help="print only non-pass lines and the counts")
    args = ap.parse_args()
    fixtures = os.path.abspath(args.fixtures) if args.fixtures else c.find_fixtures()
    cases = dict((k["id"], k) for k in c.load_catalog(fixtures))
    counts = {"pass": 0, "fail": 0, "missing": 0, "deviation": 0}
    for raw in sys.stdin:
        line = json.loads(raw)
        if "case" not in line:
            continue
        outcome, detail = judge_line(cases[line["case"]], line, fixtures)
        counts[outcome] += 1
        if not (args.quiet and outcome == "pass"):
            print(json.dumps({"case": line["case"], "outcome": outcome, "detail": detail}, ensure_ascii=False))
    print(json.dumps(dict(counts, total=sum(counts.values()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
