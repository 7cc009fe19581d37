#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""The CPython side of the differential fuzzer (suite/Conformance.Fuzz): a long-lived worker.

    python3 python-peers/fuzz_worker.py [--fixtures DIR]

Batch protocol over stdin/stdout, one line each way per document (no other output on stdout):

    in:  "batch N"  then N lines, each the base64 of one document (the exact bytes of a request body)
    out: N lines, one JSON object each, in the same order:
         {"decode": <what xmlrpc.client.loads made of it>, "response": "<base64>"}
         decode   = {"decodes": {"params": [model...], "methodName": ...}} | {"decodes": {"fault": {...}}}
                    | {"error": {"type": "ValueError", "message": "..."}}   (conformance.decode_document)
                    (a fault's code and string are models: {"fault": {"code": {"int": 4}, "string": {"string": "x"}}})
                    | {"tooDeep": {...}}: loads decoded it, but its model nests past Python's recursion limit
         response = the bytes SimpleXMLRPCDispatcher._marshaled_dispatch answers with the document as the request
                    body (the fuzz service below); "serverError" instead when the dispatcher itself raises
                    (Python 2.7 cannot format a fault with a non-ASCII message)
    "quit" or end of input: exit 0.

The first line written is a ready line: {"event": "ready", "version": "3.11.7", "expat": "expat_2.5.0"}.

The fuzz service is the conformance service without the methods whose cost depends on their arguments
(sleep, make_string) or on the clock and the disk (today, python_logo): a mutated document can call any
method by name, and the fuzzer must stay fast and reproducible. The C# side registers the same subset.
Standard library only; runs on Python 2.7 and 3.6+.
"""
from __future__ import print_function, unicode_literals

import argparse
import base64
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance as c  # noqa: E402

try:
    import pyexpat
    EXPAT = pyexpat.EXPAT_VERSION
except Exception:  # pragma: no cover - every CPython has pyexpat
    EXPAT = "unknown"

# Left out of the fuzz service (see the module docstring); the C# fuzzer leaves out the same names.
EXCLUDED = ("sleep", "make_string", "today", "python_logo")


def fuzz_dispatcher(fixtures):
    kwargs = {"allow_none": True, "encoding": None}
    if not c.PY2:
        kwargs["use_builtin_types"] = False
    dispatcher = c.SimpleXMLRPCDispatcher(**kwargs)
    for name, fn in sorted(c.service_functions(fixtures).items()):
        if name not in EXCLUDED:
            dispatcher.register_function(fn, name)
    dispatcher.register_introspection_functions()
    dispatcher.register_multicall_functions()
    return dispatcher


def xmlrpc_fault(data):
    try:
        c.xmlrpclib.loads(data)
    except c.xmlrpclib.Fault as f:
        return f


def observe(dispatcher, data):
    try:
        decode = c.decode_document(data)
        if "fault" in decode.get("decodes", {}):
            # Fault(**struct) keeps its members of any type: both as models.
            fault = xmlrpc_fault(data)
            decode["decodes"]["fault"] = {"code": c.to_model(fault.faultCode), "string": c.to_model(fault.faultString)}
        json.dumps(decode)
    except RecursionError if not c.PY2 else RuntimeError as e:  # a model nested past the interpreter's recursion limit
        decode = {"tooDeep": c.error_model(e)}
    result = {"decode": decode}
    try:
        response = dispatcher._marshaled_dispatch(data)
    except Exception as e:  # Python 2.7: a fault whose message is not ASCII
        result["serverError"] = c.error_model(e)
        return result
    if not isinstance(response, bytes):
        response = response.encode("utf-8")
    result["response"] = base64.b64encode(response).decode("ascii")
    return result


def write_line(out, obj):
    text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"))
    out.write(text.encode("ascii") + b"\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description="CPython's side of the differential fuzzer (batch protocol on stdin/stdout).")
    parser.add_argument("--fixtures", help="the fixtures/ folder (default: found beside python-peers/)")
    args = parser.parse_args(argv)
    fixtures = args.fixtures or c.find_fixtures()
    dispatcher = fuzz_dispatcher(fixtures)
    stdin = getattr(sys.stdin, "buffer", sys.stdin)
    stdout = getattr(sys.stdout, "buffer", sys.stdout)
    write_line(stdout, {"event": "ready", "version": c.python_version(), "expat": EXPAT})
    stdout.flush()
    while True:
        line = stdin.readline()
        if not line or line.strip() == b"quit":
            return 0
        words = line.split()
        if len(words) != 2 or words[0] != b"batch":
            sys.stderr.write("fuzz_worker: expected 'batch N', got %r\n" % line[:80])
            return 2
        documents = [base64.b64decode(stdin.readline().strip()) for _ in range(int(words[1]))]
        for data in documents:
            write_line(stdout, observe(dispatcher, data))
        stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
