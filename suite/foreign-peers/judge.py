#!/usr/bin/env python3
"""Judge a foreign client's JSON lines with the Python peers' judge (python-peers/conformance.judge).

    python3 suite/foreign-peers/xmlrpc-c/client.py --url URL | python3 suite/foreign-peers/judge.py [--fixtures DIR] [--quiet]

For development and CI self-checks only; the compatibility report judges observations with the C#
judge (both judges are held to fixtures/judge-vectors.json). Per case: pass / non-strict / deviation /
missing / fail, the describe step included; last line: the counts. Exit 0 whatever the outcomes.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "python-peers"))
import conformance as c  # noqa: E402


def judge_line(case, line, fixtures, service):
    """conformance.judge (the Python twin of the report's C# judge) on the line's observation, describe included."""
    obs = dict(line["observation"])
    if "describe" in line:
        obs["describe"] = line["describe"]
    return c.judge(case, obs, fixtures, service)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures")
    ap.add_argument("--quiet", action="store_true", help="print only non-pass lines and the counts")
    args = ap.parse_args()
    fixtures = os.path.abspath(args.fixtures) if args.fixtures else c.find_fixtures()
    catalog = c.load_catalog(fixtures)
    cases = dict((k["id"], k) for k in catalog)
    service = c.service_methods(catalog)
    counts = {"pass": 0, "fail": 0, "missing": 0, "deviation": 0, "non-strict": 0}
    for raw in sys.stdin:
        line = json.loads(raw)
        if "case" not in line:
            continue
        outcome, detail = judge_line(cases[line["case"]], line, fixtures, service)
        counts[outcome] += 1
        if not (args.quiet and outcome == "pass"):
            print(json.dumps({"case": line["case"], "outcome": outcome, "detail": detail}, ensure_ascii=False))
    print(json.dumps(dict(counts, total=sum(counts.values()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
