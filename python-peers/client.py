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
        err["status"] = e.errcode
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


# --- judging: conformance.judge, the twin of the C# judge (both answer fixtures/judge-vectors.json alike) ---

def short(obj, limit=DETAIL_LIMIT):
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if not isinstance(text, c.text_type):
        text = text.decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "..."


class Ctx(object):
    def __init__(self, url, fixtures, timeout, service):
        self.url = url
        self.fixtures = fixtures
        self.timeout = timeout
        self.service = service
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

def judged(case, obs, ctx, extra):
    """(outcome, detail, obs, extra): the server is not known to be ours, so a deviation of ours met is non-strict here."""
    outcome, detail = c.judge(case, obs, ctx.fixtures, ctx.service)
    return outcome, detail, obs, ({} if outcome == "pass" else extra)


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
    if call["method"] == "echo" and len(params) == 1 and "sendError" not in obs:
        # The catalog's rule: for echo with one param, the receiver's own model of the value must be
        # the expected result (it saw a bool, a Binary, a DateTime..., not just something equal).
        obs["describe"] = invoke(proxy, transport, "describe", params, False)
    return judged(case, obs, ctx, wire(transport, encoding))


def run_multicall(case, ctx):
    calls = [(m["method"], [c.from_model(p, ctx.fixtures) for p in m.get("params", [])]) for m in case["multicall"]]
    proxy, transport = new_proxy(ctx.url, None)
    obs = invoke_multicall(proxy, transport, calls)
    return judged(case, obs, ctx, wire(transport, None))


def run_http(case, ctx):
    if ctx.scheme != "http":
        obs = {"error": {"type": "UsageError", "message": "http cases are raw HTTP/1.0 exchanges: they need an http:// URL"}}
        return judged(case, obs, ctx, {})
    spec = case["http"]
    request = c.http_request_bytes(spec, ctx.port, ctx.host)
    raw = c.http_exchange(spec, ctx.port, ctx.host, ctx.timeout)
    obs = c.http_observation(raw)
    return judged(case, obs, ctx, {"request": text_of([request], "latin-1"), "response": text_of([raw], "latin-1")})


def run_case(case, ctx):
    try:
        if "call" in case:
            return run_call(case, ctx)
        if "multicall" in case:
            return run_multicall(case, ctx)
        return run_http(case, ctx)
    except Exception as e:  # a transport failure of one case never ends the run
        obs = {"error": c.error_model(e)}
        return "fail", "%s: %s" % (type(e).__name__, short(obs["error"]["message"])), obs, {}


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
    ctx = Ctx(args.url, fixtures, args.timeout, c.service_methods(c.load_catalog(fixtures)))
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
    counts = OrderedDict([("pass", 0), ("fail", 0), ("missing", 0), ("deviation", 0), ("non-strict", 0)])
    for case in cases:
        t0 = time.time()
        if args.max_lifetime > 0 and t0 - started > args.max_lifetime:
            outcome, detail, obs, extra = "fail", "not run: --max-lifetime of %g s reached" % args.max_lifetime, None, {}
        else:
            outcome, detail, obs, extra = run_case(case, ctx)
        counts[outcome] += 1
        line = OrderedDict([("case", case["id"]), ("outcome", outcome), ("detail", detail),
                            ("duration", round(time.time() - t0, 4))])
        if obs is not None:
            line["observation"] = obs
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
