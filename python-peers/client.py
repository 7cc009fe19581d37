#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""The CPython conformance client: drives any XML-RPC server through the catalog's live cases.

    python3 python-peers/client.py --url http://127.0.0.1:PORT/RPC2 [--case GLOB]... [--fixtures DIR]
                                   [--timeout 10] [--max-lifetime 900]

Every non-retired case with a `call`, `multicall` or `http` shape runs in catalog order, with the
stock xmlrpc.client (ServerProxy(allow_none=True, encoding=...), MultiCall) or, for `http`, the raw
socket exchange make_fixtures.py uses. stdout is JSON lines (python-peers/README.md): a start
event, one line per case, a summary event. Exit 0 however the cases went; 2 on usage errors;
3 if --max-lifetime had to cut a stuck run short. Standard library only; Python 2.7 and 3.6+.
"""
from __future__ import print_function, unicode_literals

import argparse
import json
import os
import re
import socket
import sys
import threading
import time
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance as c  # noqa: E402

xmlrpclib = c.xmlrpclib
try:  # Python 3
    from urllib.parse import urlsplit
except ImportError:  # Python 2.7
    from urlparse import urlsplit  # type: ignore

DETAIL_LIMIT = 300      # characters of each side of "expected ..., got ..."
XML_LIMIT = 16 * 1024   # characters of request/response text on a non-pass line
NOT_SUPPORTED = re.compile(r'method "(.*)" is not supported', re.S)
EXIT_LIFETIME = 3


# --- observing what the stock client sends and receives -----------------------------------------

class _RecordingParser(object):
    """Wraps the client's parser: every byte the unmarshaller sees (after gzip decoding) is kept."""

    def __init__(self, parser, sink):
        self._parser = parser
        self._sink = sink

    def feed(self, data):
        self._sink.append(data)
        self._parser.feed(data)

    def close(self):
        self._parser.close()


def _recording(base):
    # Transport is an old-style class on 2.7: explicit base calls, no super().
    class Recording(base):
        """The stock transport; it only remembers the request body and the response body."""

        def __init__(self):
            base.__init__(self)
            self.sent = []
            self.received = []

        def request(self, host, handler, request_body, verbose=False):
            self.sent.append(request_body)
            self.received = []
            return base.request(self, host, handler, request_body, verbose)

        def getparser(self):
            parser, unmarshaller = base.getparser(self)
            return _RecordingParser(parser, self.received), unmarshaller
    return Recording


RecordingTransport = _recording(xmlrpclib.Transport)
RecordingSafeTransport = _recording(xmlrpclib.SafeTransport)


def new_proxy(url, encoding):
    transport = (RecordingSafeTransport if url.lower().startswith("https:") else RecordingTransport)()
    kwargs = {"allow_none": True, "transport": transport}
    if encoding:
        kwargs["encoding"] = encoding
    return xmlrpclib.ServerProxy(url, **kwargs), transport


def exception_observation(e, transport):
    """An exception of a call: refused before sending (sendError), or a transport/protocol error."""
    err = c.error_model(e)
    if not transport.sent:
        return {"sendError": err}
    if isinstance(e, xmlrpclib.ProtocolError):
        err["message"] = "HTTP %s %s" % (e.errcode, e.errmsg)
    return {"error": err}


def invoke(proxy, transport, method, params, keep_type):
    """One call through ServerProxy's own request path: any method name works (têšt, a<b&c, _private)."""
    try:
        result = proxy._ServerProxy__request(method, tuple(params))
    except xmlrpclib.Fault as f:
        return {"response": {"fault": c.fault_model(f)}}
    except Exception as e:  # refused before sending, or a transport/protocol/parse error: the observation
        return exception_observation(e, transport)
    model = c.to_model(result)
    response = {"result": model}
    if keep_type:
        response["resultType"] = list(model.keys())[0]
    return {"response": response}


def invoke_multicall(proxy, transport, calls):
    mc = xmlrpclib.MultiCall(proxy)
    for name, params in calls:
        getattr(mc, name)(*params)
    try:
        results = mc()
    except xmlrpclib.Fault as f:
        return {"response": {"fault": c.fault_model(f)}}
    except Exception as e:
        return exception_observation(e, transport)
    model = c.to_model(results.results)  # raw: [[value], {faultCode, faultString}, ...]
    if "array" not in model:
        return {"response": {"result": model}}
    return {"response": {"results": c.multicall_results(model)}}


# --- judging ------------------------------------------------------------------------------------

def named_refusal(fault):
    """The method a CPython-style 'method "x" is not supported' fault names, else None."""
    m = NOT_SUPPORTED.search(fault.get("string") or "")
    return m.group(1) if m else None


def is_not_supported(fault, method):
    """The server says it lacks `method`: CPython's refusal naming it, or (unnamed) code -32601 / 'is not supported'."""
    named = named_refusal(fault)
    if named is not None:
        return named == method
    return fault.get("code") == -32601 or "is not supported" in (fault.get("string") or "")


def lacks(got, method, expected):
    """Does fault `got` say the server lacks `method`, where the case expected something else?"""
    if not is_not_supported(got, method):
        return False
    wanted = expected.get("fault") if isinstance(expected, dict) else None
    if wanted is None:
        return True  # the case expected a result
    if named_refusal(got) is not None:
        # The server named the method it lacks. Only a case asking for exactly that refusal expected it
        # (fault.unknown-method calls "nope"); fault.interop.method-not-found merely raises -32601 itself.
        return named_refusal(wanted) != method
    return not (wanted.get("code") == -32601 or "is not supported" in (wanted.get("string") or ""))


def unsupported(case, obs):
    """MISSING: the method the server says it lacks (the case's own), when the case did not expect that; else None."""
    response = obs.get("response") or {}
    if "fault" in response:
        own = "system.multicall" if "multicall" in case else case["call"]["method"]
        return own if lacks(response["fault"], own, case["expect"]) else None
    if "results" in response and "multicall" in case:
        expected = case["expect"].get("results", [])
        for i, got in enumerate(response["results"]):
            if i < len(case["multicall"]) and "fault" in got:
                method = case["multicall"][i]["method"]
                if lacks(got["fault"], method, expected[i] if i < len(expected) else None):
                    return method
    return None


def short(obj, limit=DETAIL_LIMIT):
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if not isinstance(text, c.text_type):
        text = text.decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "..."


def judge(case, obs, fixtures):
    """(outcome, the expectation met | for missing: the method the server lacks | None)."""
    ordered = case.get("compare") == "ordered"
    if c.same_outcome(case["expect"], obs, ordered, fixtures):
        return "pass", case["expect"]
    alternative = (case.get("deviation") or {}).get("expect")
    if alternative and c.same_outcome(alternative, obs, ordered, fixtures):
        return "deviation", alternative
    lacking = unsupported(case, obs)
    if lacking:
        return "missing", lacking
    return "fail", None


def resolve(model, fixtures):
    """base64file -> base64, for comparing with what a receiver describes."""
    (tag, v), = model.items()
    if tag == "base64file":
        return c.to_model(c.from_model(model, fixtures))
    return model


class Ctx(object):
    def __init__(self, url, fixtures, timeout):
        self.url = url
        self.fixtures = fixtures
        self.timeout = timeout
        parts = urlsplit(url)
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.scheme = parts.scheme


def text_of(chunks, encoding):
    data = b"".join(x if isinstance(x, bytes) else x.encode("utf-8") for x in chunks)
    try:
        text = data.decode(encoding or "utf-8")
    except (LookupError, UnicodeDecodeError):
        text = data.decode("latin-1")
    return text if len(text) <= XML_LIMIT else text[:XML_LIMIT] + "\n... (%d more characters)" % (len(text) - XML_LIMIT)


def wire(transport, encoding):
    out = {}
    if transport.sent:
        out["request"] = text_of([transport.sent[-1]], encoding)
    if transport.received:
        out["response"] = text_of(transport.received, None)
    return out


# --- the three live shapes ----------------------------------------------------------------------

def run_call(case, ctx):
    call = case["call"]
    encoding = call.get("encoding")
    params = [c.from_model(p, ctx.fixtures) for p in call.get("params", [])]
    keep_type = "resultType" in case["expect"] or "resultType" in ((case.get("deviation") or {}).get("expect") or {})
    proxy, transport = new_proxy(ctx.url, encoding)
    obs = invoke(proxy, transport, call["method"], params, keep_type)
    response = obs.get("response") or {}
    if call["method"] == "system.multicall" and "array" in response.get("result", {}):
        # system.multicall called directly (a malformed request MultiCall cannot build): its result
        # array also reads as per-sub-call results, for an expectation written as `results`.
        try:
            response["results"] = c.multicall_results(response["result"])
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            pass  # not shaped like multicall results: judged as the plain result it is
    outcome, met = judge(case, obs, ctx.fixtures)
    step = "%s: " % call["method"]
    if outcome == "pass":
        detail = ""
    elif outcome == "deviation":
        detail = "deviation: " + case["deviation"]["reason"]
    elif outcome == "missing":
        detail = "the server does not implement %s: %s" % (met, short(obs))
    else:
        detail = step + "expected %s, got %s" % (short(case["expect"]), short(obs))

    # The catalog's rule: for echo with one param, the receiver's own model of the value must be
    # the expected result (it saw a bool, a Binary, a DateTime..., not just something equal).
    if outcome in ("pass", "deviation") and call["method"] == "echo" and len(params) == 1 and "result" in met:
        d_obs = invoke(proxy, transport, "describe", params, False)
        response = d_obs.get("response") or {}
        expected = resolve(met["result"], ctx.fixtures)
        described = None
        if "result" in response and "string" in response["result"]:
            try:
                described = json.loads(response["result"]["string"])
            except ValueError:
                described = None
        if "fault" in response and is_not_supported(response["fault"], "describe"):
            return "missing", "echo passed; the server does not implement describe: %s" % short(response["fault"]), \
                wire(transport, encoding)
        if described is None or not c.same(expected, described, case.get("compare") == "ordered"):
            got = described if described is not None else d_obs
            return "fail", "echo passed; describe: the server decoded %s, expected %s" % (short(got), short(expected)), \
                wire(transport, encoding)
    return outcome, detail, ({} if outcome == "pass" else wire(transport, encoding))


def run_multicall(case, ctx):
    calls = [(m["method"], [c.from_model(p, ctx.fixtures) for p in m.get("params", [])]) for m in case["multicall"]]
    proxy, transport = new_proxy(ctx.url, None)
    obs = invoke_multicall(proxy, transport, calls)
    outcome, met = judge(case, obs, ctx.fixtures)
    if outcome == "pass":
        return outcome, "", {}
    if outcome == "deviation":
        detail = "deviation: " + case["deviation"]["reason"]
    elif outcome == "missing":
        detail = "the server does not implement %s: %s" % (met, short(obs))
    else:
        detail = "system.multicall: expected %s, got %s" % (short(case["expect"]), short(obs))
    return outcome, detail, wire(transport, None)


def run_http(case, ctx):
    if ctx.scheme != "http":
        return "fail", "http cases are raw HTTP/1.0 exchanges: they need an http:// URL", {}
    spec = case["http"]
    request = c.http_request_bytes(spec, ctx.port, ctx.host)
    raw = c.http_exchange(spec, ctx.port, ctx.host, ctx.timeout)
    obs = c.http_observation(raw)
    outcome, _ = judge(case, obs, ctx.fixtures)
    extra = {} if outcome == "pass" else {"request": text_of([request], "latin-1"), "response": text_of([raw], "latin-1")}
    if outcome == "pass":
        return outcome, "", extra
    if outcome == "deviation":
        return outcome, "deviation: " + case["deviation"]["reason"], extra
    summary = dict((k, v) for k, v in obs.items() if k in ("status", "reason", "noResponse", "statusLine", "raw"))
    return outcome, "expected %s, got %s" % (short(case["expect"]), short(summary)), extra


def run_case(case, ctx):
    try:
        if "call" in case:
            return run_call(case, ctx)
        if "multicall" in case:
            return run_multicall(case, ctx)
        return run_http(case, ctx)
    except Exception as e:  # a transport failure of one case never ends the run
        return "fail", "%s: %s" % (type(e).__name__, short(c.error_model(e)["message"])), {}


# --- driver -------------------------------------------------------------------------------------

def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")  # ensure_ascii: safe on any stdout encoding
    sys.stdout.flush()


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Run the catalog's live cases against an XML-RPC server (JSON lines on stdout).")
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080/RPC2")
    parser.add_argument("--case", action="append", default=[], metavar="GLOB", help="only cases whose id matches (repeatable)")
    parser.add_argument("--fixtures", metavar="DIR", help="the fixtures/ folder (default: $CONFORMANCE_FIXTURES, beside python-peers/, /fixtures)")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="socket timeout per exchange (default 10)")
    parser.add_argument("--max-lifetime", type=float, default=900.0, metavar="SECONDS",
                        help="stop starting cases after this many seconds, exit 3 if stuck beyond it (default 900; 0 = no limit)")
    args = parser.parse_args(argv)
    parts = urlsplit(args.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        parser.error("--url must be an http:// or https:// URL, got %r" % args.url)
    try:
        parts.port
    except ValueError:
        parser.error("--url has an invalid port: %r" % args.url)
    if args.timeout <= 0:
        parser.error("--timeout must be > 0")
    return c.check_peer_args(parser, args)


def main(argv=None):
    args = parse_args(argv)
    fixtures = args.fixtures
    cases = [k for k in c.load_catalog(fixtures) if c.is_live(k) and c.matches(k["id"], args.case)]
    if args.case and not cases:
        sys.stderr.write("client.py: no live case matches %s\n" % " ".join(args.case))
    socket.setdefaulttimeout(args.timeout)  # ServerProxy has no timeout of its own
    ctx = Ctx(args.url, fixtures, args.timeout)
    started = time.time()
    if args.max_lifetime > 0:
        # Between cases the deadline is checked; this only fires if one case hangs past it.
        def hard_stop():
            sys.stderr.write("client.py: --max-lifetime of %g s exceeded inside a case, exiting\n" % args.max_lifetime)
            sys.stderr.flush()
            os._exit(EXIT_LIFETIME)
        watchdog = threading.Timer(args.max_lifetime + 4 * args.timeout + 5, hard_stop)
        watchdog.daemon = True
        watchdog.start()

    emit(OrderedDict([("event", "start"), ("role", "client"), ("implementation", "CPython"),
                      ("version", c.python_version()), ("build", " ".join(sys.version.split())), ("url", args.url)]))
    counts = OrderedDict([("pass", 0), ("fail", 0), ("missing", 0), ("deviation", 0)])
    for case in cases:
        t0 = time.time()
        if args.max_lifetime > 0 and t0 - started > args.max_lifetime:
            outcome, detail, extra = "fail", "not run: --max-lifetime of %g s reached" % args.max_lifetime, {}
        else:
            outcome, detail, extra = run_case(case, ctx)
        counts[outcome] += 1
        line = OrderedDict([("case", case["id"]), ("outcome", outcome), ("detail", detail),
                            ("duration", round(time.time() - t0, 4))])
        for k in ("request", "response"):
            if k in extra:
                line[k] = extra[k]
        emit(line)
    summary = OrderedDict([("event", "summary")])
    summary.update(counts)
    summary["total"] = len(cases)
    emit(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
