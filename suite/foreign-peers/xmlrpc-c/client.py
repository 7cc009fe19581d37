#!/usr/bin/env python3
"""The xmlrpc-c conformance client: the catalog driver around bin/client (xmlrpc-c's C client library).

    python3 suite/foreign-peers/xmlrpc-c/client.py --url http://127.0.0.1:PORT/RPC2 [--case GLOB]...
                                                   [--fixtures DIR] [--timeout 10] [--max-lifetime 900]

Python only reads the catalog and hands each call's values to bin/client as typed tokens (see
client.c); xmlrpc-c builds the values, writes the request XML, sends it with its curl transport and
parses the response. stdout: JSON lines (suite/foreign-peers/README.md) - a start event, one
{"case", "observation", "duration"[, "describe"][, "request", "response"]} line per live call or
multicall case, a summary event. Exit 0 whatever the observations; 2 on usage errors; 3 when
--max-lifetime had to cut the run short. Standard library only, Python 3.6+.
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import threading
import time
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "bin", "client")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
EXIT_LIFETIME = 3
sys.path.insert(0, os.path.join(REPO, "python-peers"))
import conformance as c  # noqa: E402  (the catalog loader and value helpers the Python peers use)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def live_cases(fixtures, globs):
    """The catalog's live call and multicall cases (a client library has no business with raw http exchanges)."""
    return [case for case in c.load_catalog(fixtures)
            if c.is_live(case) and ("call" in case or "multicall" in case) and c.matches(case["id"], globs)]


def hexs(text):
    return text.encode("utf-8", "surrogatepass").hex()


def tokens(model, fixtures, out):
    """A catalog model -> bin/client's typed tokens (no XML: xmlrpc-c writes that)."""
    (tag, v), = model.items()
    if tag == "int":
        out.append("i%d" % int(v))
    elif tag == "i8":
        out.append("I%d" % int(v))
    elif tag == "boolean":
        out.append("b1" if v else "b0")
    elif tag == "double":
        out.append("d" + v)
    elif tag == "dateTime.iso8601":
        out.append("t" + hexs(v))
    elif tag == "datetime":  # a native date-time: xmlrpc-c's is the xmlrpc_datetime struct
        date, _, clock = v.partition("T")
        seconds, _, fraction = clock.partition(".")
        parts = [int(p) for p in date.split("-") + seconds.split(":")] + [int((fraction + "000000")[:6])]
        out.append("N" + ",".join(str(p) for p in parts))
    elif tag == "string":
        out.append("s" + hexs(v))
    elif tag == "base64":
        out.append("B" + base64.b64decode(v).hex())
    elif tag == "base64file":
        with open(os.path.join(fixtures, v), "rb") as f:
            out.append("B" + f.read().hex())
    elif tag == "nil":
        out.append("n")
    elif tag == "array":
        out.append("a%d" % len(v))
        for item in v:
            tokens(item, fixtures, out)
    elif tag == "struct":
        out.append("S%d" % len(v))
        for k, item in v:
            out.append("k" + hexs(k))
            tokens(item, fixtures, out)
    elif tag == "bigdecimal":
        out.append("D" + v)
    else:
        raise ValueError("unknown model tag %r" % tag)
    return out


class Helper(object):
    """bin/client, restarted when it dies (xmlrpc-c crashes on some values)."""

    def __init__(self, url, timeout):
        self.url = url
        self.timeout = timeout
        self.proc = None

    def start(self):
        env = dict(os.environ)
        for k in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(k, None)
        env["NO_PROXY"] = env["no_proxy"] = "*"  # curl: loopback only, never through a proxy
        self.proc = subprocess.Popen([BIN, "--url", self.url, "--timeout", str(max(1, int(round(self.timeout))))],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def call(self, method, params, fixtures):
        """-> (observation, request xml or None, response xml or None)"""
        try:
            toks = []
            for p in params:
                tokens(p, fixtures, toks)
        except ValueError as e:
            return {"sendError": {"type": "driver", "message": str(e)}}, None, None
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        line = ("m%s %d %s\n" % (hexs(method), len(params), " ".join(toks))).encode("ascii")
        killer = threading.Timer(4 * self.timeout + 5, self.stop)  # a hung helper is killed
        killer.daemon = True
        killer.start()
        sent = False
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
            while True:
                raw = self.proc.stdout.readline()
                if not raw:
                    break
                msg = json.loads(raw.decode("utf-8"))
                if msg.get("progress") == "serialized":
                    sent = True
                    continue
                return msg["observation"], msg.get("request"), msg.get("response")
        except (OSError, ValueError):
            pass
        finally:
            killer.cancel()
        # The helper died (or was killed): the library crashed, before or after it sent the request.
        rc = self.proc.wait() if self.proc else None
        self.proc = None
        how = ("killed by signal %d" % -rc) if rc is not None and rc < 0 else ("exit status %s" % rc)
        if not sent:
            return {"sendError": {"type": "crash", "message": "bin/client (xmlrpc-c) died while building/serializing the call: %s" % how}}, None, None
        return {"error": {"type": "crash", "message": "bin/client (xmlrpc-c) died after sending the call: %s" % how}}, None, None


def run_case(case, helper, fixtures):
    line = OrderedDict([("case", case["id"])])
    if "multicall" in case:
        calls = [{"struct": [["methodName", {"string": m["method"]}], ["params", {"array": m.get("params", [])}]]}
                 for m in case["multicall"]]
        obs, req, resp = helper.call("system.multicall", [{"array": calls}], fixtures)
        response = obs.get("response") or {}
        if "result" in response and "array" in response["result"]:
            try:
                obs = {"response": {"results": c.multicall_results(response["result"])}}
            except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                pass  # not shaped like multicall results: reported as the plain result it is
        line["observation"] = obs
    else:
        call = case["call"]
        params = call.get("params", [])
        # call.encoding: xmlrpc-c's client always writes UTF-8 (no encoding option): sent as UTF-8.
        obs, req, resp = helper.call(call["method"], params, fixtures)
        response = obs.get("response") or {}
        if "result" in response and ("resultType" in case["expect"] or "resultType" in ((case.get("deviation") or {}).get("expect") or {})):
            response["resultType"] = list(response["result"].keys())[0]  # as python-peers/client.py records it
        if call["method"] == "system.multicall" and "array" in response.get("result", {}):
            try:  # system.multicall called directly: its array also reads as per-sub-call results
                response["results"] = c.multicall_results(response["result"])
            except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                pass
        line["observation"] = obs
        if call["method"] == "echo" and len(params) == 1 and "result" in (obs.get("response") or {}):
            d_obs, d_req, d_resp = helper.call("describe", params, fixtures)
            line["describe"] = d_obs
    if req is not None:
        line["request"] = req
    if resp is not None:
        line["response"] = resp
    return line


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the catalog's live call/multicall cases with xmlrpc-c's client.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--case", action="append", default=[], metavar="GLOB")
    parser.add_argument("--fixtures", metavar="DIR")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--max-lifetime", type=float, default=900.0)
    args = parser.parse_args(argv)
    if not args.url.startswith(("http://", "https://")):
        parser.error("--url must be an http:// or https:// URL")
    if args.timeout <= 0 or args.max_lifetime < 0:
        parser.error("--timeout must be > 0 and --max-lifetime >= 0")
    if not os.access(BIN, os.X_OK):
        parser.error("%s is not built: run suite/foreign-peers/install.sh" % BIN)
    fixtures = c.check_peer_args(parser, args).fixtures
    cases = live_cases(fixtures, args.case)
    version = subprocess.check_output([BIN, "--version"]).decode().strip()
    started = time.time()
    if args.max_lifetime > 0:
        def hard_stop():
            sys.stderr.write("client.py: --max-lifetime exceeded inside a case, exiting\n")
            sys.stderr.flush()
            os._exit(EXIT_LIFETIME)
        watchdog = threading.Timer(args.max_lifetime + 4 * args.timeout + 10, hard_stop)
        watchdog.daemon = True
        watchdog.start()
    emit(OrderedDict([("event", "start"), ("role", "client"), ("implementation", "xmlrpc-c"), ("version", version),
                      ("build", "xmlrpc-c %s C client library, curl transport (driver: Python %s)" % (version, sys.version.split()[0])),
                      ("url", args.url), ("shapes", ["call", "multicall"])]))
    helper = Helper(args.url, args.timeout)
    total = 0
    try:
        for case in cases:
            t0 = time.time()
            if args.max_lifetime > 0 and t0 - started > args.max_lifetime:
                line = OrderedDict([("case", case["id"]), ("observation", {"error": {"type": "notRun", "message": "--max-lifetime reached"}})])
            else:
                line = run_case(case, helper, fixtures)
            line["duration"] = round(time.time() - t0, 4)
            emit(line)
            total += 1
    finally:
        helper.stop()
    emit(OrderedDict([("event", "summary"), ("total", total)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
