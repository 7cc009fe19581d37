# -*- coding: utf-8 -*-
"""Shared code of the Python peers: the catalog's value model, and the conformance service.

Standard library only; runs on Python 2.7 and 3.6+. The peers *are* the reference behaviour,
so this module adds nothing to what xmlrpc.client / xmlrpc.server do on the wire: it only
converts between Python values and the catalog's tagged model (fixtures/README.md) and
registers the service methods on a stock dispatcher.
"""
from __future__ import print_function, unicode_literals

import base64
import datetime
import decimal
import fnmatch
import glob
import gzip
import io
import json
import os
import re
import socket
import sys
import time

try:  # Python 3
    import xmlrpc.client as xmlrpclib
    from xmlrpc.server import SimpleXMLRPCDispatcher, SimpleXMLRPCServer, SimpleXMLRPCRequestHandler
    text_type = str
    integer_types = (int,)
except ImportError:  # Python 2.7
    import xmlrpclib  # type: ignore
    from SimpleXMLRPCServer import SimpleXMLRPCDispatcher, SimpleXMLRPCServer, SimpleXMLRPCRequestHandler  # type: ignore
    text_type = unicode  # noqa: F821
    integer_types = (int, long)  # noqa: F821

HERE = os.path.dirname(os.path.abspath(__file__))
PY2 = sys.version_info[0] == 2


def check_peer_args(parser, args):
    """The flags both peers share (--max-lifetime, --fixtures): usage errors, and args.fixtures made absolute or found."""
    if args.max_lifetime < 0:
        parser.error("--max-lifetime must be >= 0")
    if args.fixtures and not os.path.isfile(os.path.join(args.fixtures, "case.schema.json")):
        parser.error("--fixtures %s: no case.schema.json there" % args.fixtures)
    args.fixtures = os.path.abspath(args.fixtures) if args.fixtures else find_fixtures()
    return args


def find_fixtures(start=None):
    """The fixtures/ folder: $CONFORMANCE_FIXTURES, else beside python-peers/, else /fixtures."""
    candidates = [os.environ.get("CONFORMANCE_FIXTURES"), start,
                  os.path.join(os.path.dirname(HERE), "fixtures"), os.path.join(HERE, "fixtures"), "/fixtures"]
    for c in candidates:
        if c and os.path.isfile(os.path.join(c, "case.schema.json")):
            return os.path.abspath(c)
    raise SystemExit("fixtures/ not found (set CONFORMANCE_FIXTURES)")


def load_catalog(fixtures):
    """All cases, in file order then id order; each case gets 'area' from its file."""
    cases = []
    for path in sorted(glob.glob(os.path.join(fixtures, "cases", "*.json"))):
        with io.open(path, "r", encoding="utf-8") as f:
            doc = json.load(f)
        for case in doc["cases"]:
            case["area"] = doc["area"]
            cases.append(case)
    return cases


LIVE_SHAPES = ("call", "multicall", "http")


def is_live(case):
    """A case a client runs against a server (parse-only `document` cases are not live)."""
    return not case.get("retired") and any(k in case for k in LIVE_SHAPES)


def matches(case_id, globs):
    """No globs selects everything; otherwise any fnmatch glob (case-sensitive)."""
    return not globs or any(fnmatch.fnmatchcase(case_id, g) for g in globs)


def load_known_issues(fixtures):
    path = os.path.join(fixtures, "known-issues.json")
    if not os.path.isfile(path):
        return []
    with io.open(path, "r", encoding="utf-8") as f:
        return json.load(f)


def known_issue(known, case_id, cell, version=None):
    """The first known-issues.json entry naming this case and cell (and, if given, the peer's Python version)."""
    for k in known:
        if cell not in k.get("cells", []) or not matches(case_id, k.get("cases", [])) or not k.get("cases"):
            continue
        if version is not None and not fnmatch.fnmatchcase(version, k.get("python", "*")):
            continue
        return k
    return None


def python_version():
    return "%d.%d.%d" % sys.version_info[:3]


# --- the value model ---------------------------------------------------------------------------

def from_model(m, fixtures=None):
    """Catalog model -> the Python value a Python program would pass to ServerProxy."""
    (tag, v), = m.items()
    if tag in ("int", "i8"):
        return int(v)
    if tag == "boolean":
        return bool(v)
    if tag == "string":
        return v
    if tag == "double":
        return float(v)
    if tag == "dateTime.iso8601":
        return xmlrpclib.DateTime(v.encode("ascii") if PY2 else v)  # 2.7's DateTime takes only str
    if tag == "datetime":  # a native date-time: YYYY-MM-DDTHH:MM:SS[.ffffff]
        date, _, clock = v.partition("T")
        seconds, _, fraction = clock.partition(".")
        parts = [int(p) for p in date.split("-") + seconds.split(":")]
        return datetime.datetime(*(parts + [int((fraction + "000000")[:6])]))
    if tag == "base64":
        return xmlrpclib.Binary(base64.b64decode(v.encode("ascii")))
    if tag == "base64file":
        with open(os.path.join(fixtures or find_fixtures(), v), "rb") as f:
            return xmlrpclib.Binary(f.read())
    if tag == "struct":
        d = {}
        for k, item in v:
            d[k] = from_model(item, fixtures)
        return d
    if tag == "array":
        return [from_model(item, fixtures) for item in v]
    if tag == "nil":
        return None
    if tag == "bigdecimal":
        return decimal.Decimal(v)
    raise ValueError("unknown model tag %r" % tag)


def to_model(v):
    """A decoded Python value -> the catalog model (what the receiver saw)."""
    if v is None:
        return {"nil": None}
    if isinstance(v, bool):
        return {"boolean": v}
    if isinstance(v, integer_types):
        return {"int": int(v)}
    if isinstance(v, float):
        return {"double": repr(v)}
    if isinstance(v, text_type):
        return {"string": v}
    if PY2 and isinstance(v, str):  # xmlrpclib returns str for ASCII-only strings
        return {"string": v.decode("utf-8")}
    if isinstance(v, xmlrpclib.Binary):
        return {"base64": base64.b64encode(v.data).decode("ascii")}
    if isinstance(v, (bytes, bytearray)):
        return {"base64": base64.b64encode(bytes(v)).decode("ascii")}
    if isinstance(v, xmlrpclib.DateTime):
        return {"dateTime.iso8601": v.value if isinstance(v.value, text_type) else v.value.decode("ascii")}
    if isinstance(v, datetime.datetime):
        return {"dateTime.iso8601": "%04d%02d%02dT%02d:%02d:%02d" % v.timetuple()[:6]}
    if isinstance(v, (list, tuple)):
        return {"array": [to_model(i) for i in v]}
    if isinstance(v, dict):
        members = []
        for k, item in v.items():
            if PY2 and isinstance(k, str):
                k = k.decode("utf-8")
            if not isinstance(k, text_type):
                return {"python": repr(v)}  # e.g. {1: 'a'}: CPython builds it, XML-RPC cannot say it
            members.append([k, to_model(item)])
        return {"struct": members}
    if isinstance(v, decimal.Decimal):
        return {"bigdecimal": text_type(v)}
    return {"python": repr(v)}


def describe_json(v):
    """Canonical describe() text: compact, ASCII-only JSON of the model."""
    return json.dumps(to_model(v), separators=(",", ":"), ensure_ascii=True)


def fault_model(f):
    code = f.faultCode
    s = f.faultString
    if PY2 and isinstance(s, str):
        s = s.decode("utf-8")
    return {"code": code, "string": s}


# --- observations: what CPython sent, received and answered (shared by make_fixtures and client) ---

def error_model(e):
    """An exception -> {"type": class name, "message": text}."""
    message = e.args[0] if len(e.args) == 1 and isinstance(e.args[0], (str, text_type)) else str(e)
    if PY2 and isinstance(message, str):
        message = message.decode("utf-8", "replace")
    return {"type": type(e).__name__, "message": text_type(message)}


def decode_document(data):
    """What xmlrpc.client.loads makes of a document: params + methodName, a fault, or an error."""
    try:
        params, method = xmlrpclib.loads(data)
    except xmlrpclib.Fault as f:
        return {"decodes": {"fault": fault_model(f)}}
    except Exception as e:  # the exception class is the observation
        return {"error": error_model(e)}
    if PY2 and isinstance(method, str):
        method = method.decode("utf-8")
    return {"decodes": {"params": [to_model(p) for p in params], "methodName": method}}


def response_observation(data):
    """A methodResponse document -> {"result": model} | {"fault": {...}} | {"error": {...}}."""
    obs = decode_document(data)
    if "error" in obs:
        return obs
    d = obs["decodes"]
    if "fault" in d:
        return {"fault": d["fault"]}
    return {"result": d["params"][0] if len(d["params"]) == 1 else {"array": d["params"]}}


def make_request(method, params, encoding):
    """The bytes ServerProxy(allow_none=True, encoding=...) puts in the request body."""
    enc = encoding or "utf-8"
    text = xmlrpclib.dumps(tuple(params), method, encoding=enc, allow_none=True)
    if isinstance(text, bytes):  # Python 2 may return a byte string already
        return text
    return text.encode(enc, "xmlcharrefreplace")


def multicall_results(result):
    """A system.multicall result array -> [{"result": v} | {"fault": {...}}], like MultiCallIterator."""
    results = []
    for item in result.get("array", []):
        (tag, v), = item.items()
        if tag == "array" and len(v) == 1:
            results.append({"result": v[0]})
        elif tag == "struct":
            members = dict((k, m) for k, m in v)
            results.append({"fault": {"code": list(members["faultCode"].values())[0],
                                      "string": list(members["faultString"].values())[0]}})
        else:
            results.append({"unexpected": item})
    return results


# --- http cases: one raw HTTP/1.0 exchange, as a client library would never send it -------------

def http_request_bytes(spec, port, host="127.0.0.1"):
    """The exact bytes of a case's `http` shape (fixtures/README.md)."""
    body = b""
    if "body" in spec:
        body = spec["body"].encode("utf-8")
    elif "bodyBase64" in spec:
        body = base64.b64decode(spec["bodyBase64"].encode("ascii"))
    if spec.get("gzipBody"):
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=1, mtime=0) as g:
            g.write(body)
        body = buf.getvalue()
    lines = ["%s %s HTTP/1.0" % (spec.get("method", "POST"), spec.get("path", "/RPC2")),
             "Host: %s:%d" % ("[%s]" % host if ":" in host else host, port)]
    names = set()
    for name, value in spec.get("headers", []):
        lines.append("%s: %s" % (name, value))
        names.add(name.lower())
    if "content-length" not in names and not spec.get("omitContentLength"):
        lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def http_exchange(spec, port, host="127.0.0.1", timeout=10):
    """Send the request, half-close (unless "halfClose": false), read until EOF or timeout."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        s.sendall(http_request_bytes(spec, port, host))
        if spec.get("halfClose", True):
            s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        s.close()
    return b"".join(chunks)


def http_observation(raw):
    """Status, reason, a few headers, body length and (for 200 XML) the decoded response."""
    if not raw:
        return {"noResponse": True}
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if not parts[0].startswith("HTTP/"):
        return {"statusLine": None, "raw": raw[:200].decode("latin-1")}
    obs = {"status": int(parts[1]), "reason": parts[2] if len(parts) > 2 else ""}
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() in ("content-type", "content-encoding", "connection"):
            headers[name.lower()] = value.strip()
    obs["headers"] = headers
    if headers.get("content-encoding") == "gzip":
        body = gzip.GzipFile(fileobj=io.BytesIO(body)).read()
    obs["bodyLength"] = len(body)
    if obs["status"] == 200 and body.startswith(b"<?xml"):
        obs["response"] = response_observation(body)
    return obs


# --- comparing outcomes with a case's intent ---------------------------------------------------

def same(expected, actual, ordered=False):
    """Model equality: struct members as a set of names unless ordered; int and i8 are one type."""
    if not isinstance(expected, dict) or not isinstance(actual, dict) or len(expected) != 1 or len(actual) != 1:
        return expected == actual
    (et, ev), = expected.items()
    (at, av), = actual.items()
    et, at = ("int" if et == "i8" else et), ("int" if at == "i8" else at)
    if et == "datetime":
        return at == "dateTime.iso8601"  # a native value: its text form is checked by the golden bytes
    if et != at:
        return False
    if et == "array":
        return len(ev) == len(av) and all(same(e, a, ordered) for e, a in zip(ev, av))
    if et == "struct":
        if len(ev) != len(av):
            return False
        if ordered:
            return all(ek == ak and same(e, a, ordered) for (ek, e), (ak, a) in zip(ev, av))
        actual_members = dict((k, v) for k, v in av)
        return all(k in actual_members and same(v, actual_members[k], ordered) for k, v in ev)
    return ev == av


def same_fault(expected, actual):
    """A fault expectation: its code (with the wire type: 4 is not '4') and its string, each only where given."""
    if "code" in expected:
        e, a = expected["code"], actual.get("code")
        if isinstance(e, bool) or isinstance(a, bool) or isinstance(e, integer_types) != isinstance(a, integer_types) or e != a:
            return False
    return "string" not in expected or expected["string"] == actual.get("string")


def _resolve(m, fixtures):
    (tag, v), = m.items()
    if tag == "base64file":
        with open(os.path.join(fixtures, v), "rb") as f:
            return {"base64": base64.b64encode(f.read()).decode("ascii")}
    return m


def _type_name(model):
    (tag, _), = model.items()
    return "int" if tag == "i8" else tag


def meets(expect, obs, ordered, fixtures):
    """Does the observation meet one expectation (the grammar of a case's `expect`)? The one rule of fixtures/judge-vectors.json."""
    response = obs.get("response", obs)
    if "sendError" in expect:
        return "sendError" in obs  # every client refuses to send it, each with its own exception (CPython's is sendError)
    if "result" in expect:
        return "result" in response and same(_resolve(expect["result"], fixtures), response["result"], ordered)
    if "resultType" in expect:
        got = response.get("resultType") or (_type_name(response["result"]) if "result" in response else None)
        return got == expect["resultType"]
    if "fault" in expect:
        return "fault" in response and same_fault(expect["fault"], response["fault"])
    if "results" in expect:
        got = response.get("results")
        if got is None or len(got) != len(expect["results"]):
            return False
        for e, a in zip(expect["results"], got):
            if "fault" in e:
                if "fault" not in a or not same_fault(e["fault"], a["fault"]):
                    return False
            elif "fault" in a or "result" not in a or not same(_resolve(e["result"], fixtures), a["result"], ordered):
                return False
        return True
    if "decodes" in expect:
        d = obs.get("decodes")
        if d is None:
            return False
        if "fault" in expect["decodes"]:
            return "fault" in d and same_fault(expect["decodes"]["fault"], d["fault"])
        return ("params" in d and d.get("methodName") == expect["decodes"].get("methodName")
                and len(d["params"]) == len(expect["decodes"]["params"])
                and all(same(e, a, ordered) for e, a in zip(expect["decodes"]["params"], d["params"])))
    if "error" in expect:
        return (obs.get("error") or response.get("error") or {}).get("type") == expect["error"]
    if "status" in expect:
        statuses = expect["status"] if isinstance(expect["status"], list) else [expect["status"]]
        return obs.get("status") in statuses
    return False


# How servers of any ecosystem say "no such method" (the C# twin: Conformance.Catalog NotImplemented).
NOT_IMPLEMENTED_NAMED = re.compile(
    r'method "(?P<a>[^"]*)" is not supported|[Mm]ethod \'(?P<b>[^\']*)\' (?:not defined|not found|does not exist)'
    r'|(?:[Nn]o such method|[Uu]nknown method|[Mm]ethod not found)[: ]+[\'"]?(?P<c>[\w.]+)')
NOT_IMPLEMENTED_GENERIC = re.compile(
    r"not supported|method not found|requested method .*not found|no such method|unknown method|not defined|not implemented|does not exist",
    re.I)
NOT_IMPLEMENTED_CODES = (-32601, -506)
NOT_IMPLEMENTED_STATUSES = (404, 501)


def named_method(text):
    """The method a "no such method" text names, else None."""
    m = NOT_IMPLEMENTED_NAMED.search(text or "")
    return (m.group("a") if m.group("a") is not None else m.group("b") if m.group("b") is not None else m.group("c")) if m else None


def _answer_text(obs):
    response = obs.get("response", obs)
    if "fault" in response:
        return response["fault"].get("string")
    return (obs.get("error") or {}).get("message")


def says_not_implemented(method, obs):
    """Does the answer say the server lacks `method` (or, naming no method, any method)?"""
    response = obs.get("response", obs)
    fault = response.get("fault")
    error = obs.get("error") or {}
    text = _answer_text(obs)
    named = named_method(text)
    if named is not None:
        return named == method
    code = (fault or {}).get("code")
    if isinstance(code, integer_types) and not isinstance(code, bool) and code in NOT_IMPLEMENTED_CODES:
        return True
    if error.get("status") in NOT_IMPLEMENTED_STATUSES:
        return True
    return (fault is not None or error.get("status") is not None) and text is not None and bool(NOT_IMPLEMENTED_GENERIC.search(text))


def _lacks(method, obs, listed, proven, name_checked=False):
    response = obs.get("response", obs)
    if "fault" not in response and (obs.get("error") or {}).get("status") is None:
        return False  # only the server's own answer is evidence: a fault or an HTTP error status
    if proven is not None and method in proven:
        return False  # it answered with a value before: it exists
    if listed is not None:
        return method not in listed
    return name_checked or says_not_implemented(method, obs)


def called_methods(case):
    """Every method a case calls: its call's (and describe after a one-param echo), or system.multicall and each sub-call's."""
    if "call" in case:
        call = case["call"]
        if call["method"] == "echo" and len(call.get("params", [])) == 1:
            return ["echo", "describe"]
        return [call["method"]]
    if "multicall" in case:
        names = ["system.multicall"]
        for m in case["multicall"]:
            if m["method"] not in names:
                names.append(m["method"])
        return names
    return []


def service_methods(cases):
    """The conformance service's methods, as the catalog lists them (introspection.list-methods' expected result)."""
    for case in cases:
        if case["id"] == "introspection.list-methods":
            return set(item["string"] for item in case["expect"]["result"]["array"])
    raise ValueError("introspection.list-methods must list the service's methods")


def lacked(case, obs, service, listed, proven=None):
    """The method the observation says the server lacks, among those the case calls that the service defines."""
    required = [m for m in called_methods(case) if m != "describe" and m in service]
    if not required:
        return None
    response = obs.get("response", obs)
    if "fault" in response or "error" in obs:
        named = named_method(_answer_text(obs))
        if named is not None and named in required:
            return named if _lacks(named, obs, listed, proven, True) else None
        return required[0] if _lacks(required[0], obs, listed, proven) else None
    if "multicall" in case and "results" in response:
        for call, result in zip(case["multicall"], response["results"]):
            if call["method"] in required and "fault" in result and _lacks(call["method"], {"response": {"fault": result["fault"]}}, listed, proven):
                return call["method"]
    return None


def _short(obj, limit=300):
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if not isinstance(text, text_type):
        text = text.decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "..."


def judge(case, obs, fixtures, service, our_client=False, our_server=False, listed=None, describe_required=True, proven=None):
    """The Python twin of the C# judge (Conformance.Catalog Judge): (outcome, detail).

    Outcomes: pass, non-strict, deviation, missing, fail. Both judges answer fixtures/judge-vectors.json alike.
    """
    ordered = case.get("compare") == "ordered"
    deviation = case.get("deviation") or {}
    if our_client and deviation.get("writer") == "refuse":
        if "sendError" in obs:
            return "deviation", "our writer refuses to send it (deviation: %s)" % deviation["reason"]
        return "fail", "expected our writer to refuse (deviation: %s), got %s" % (deviation["reason"], _short(obs))
    met = None
    if meets(case["expect"], obs, ordered, fixtures):
        outcome, met, detail = "pass", case["expect"], ""
    elif deviation.get("expect") and meets(deviation["expect"], obs, ordered, fixtures):
        met = deviation["expect"]
        if our_server:
            outcome, detail = "deviation", "deviation: " + deviation["reason"]
        else:
            outcome, detail = "non-strict", "not CPython's answer, but the one our C# server gives on purpose (%s); expected %s, got %s" % (
                deviation["reason"], _short(case["expect"]), _short(obs))
    else:
        non_strict = case.get("nonStrict") or {}
        met = next((e for e in non_strict.get("accept", []) if meets(e, obs, ordered, fixtures)), None)
        if met is not None:
            outcome, detail = "non-strict", "not CPython's answer, but one the spec allows (%s): expected %s, got %s" % (
                non_strict["reason"], _short(case["expect"]), _short(obs))
        else:
            method = lacked(case, obs, service, listed, proven)
            if method:
                return "missing", "the server does not implement %s: %s" % (method, _short(obs))
            return "fail", "expected %s, got %s" % (_short(case["expect"]), _short(obs))
    # A fault naming a method of the case as missing met the expectation only by accident: the method is missing.
    named = named_method(((obs.get("response", obs)).get("fault") or {}).get("string"))
    if named is not None and named in called_methods(case) and named in service:
        return "missing", "the server does not implement %s: %s" % (named, _short(obs))
    call = case.get("call") or {}
    if call.get("method") == "echo" and len(call.get("params", [])) == 1 and "result" in met:
        return _check_describe(case, obs, met, fixtures, listed, proven, describe_required, (outcome, detail))
    return outcome, detail


def _check_describe(case, obs, met, fixtures, listed, proven, describe_required, verdict):
    """fixtures/README.md: for echo with one param, the receiver's own model of the value must be the expected result."""
    expected = _resolve(met["result"], fixtures)
    describe = obs.get("describe")
    if describe is None:
        if describe_required:
            return "fail", "echo met the case, but no describe was observed (a one-param echo is followed by describe)"
        return verdict
    result = describe.get("response", describe).get("result") or {}
    decoded = None
    if "string" in result:
        try:
            decoded = json.loads(result["string"])
        except ValueError:
            decoded = None
    if isinstance(decoded, dict) and len(decoded) == 1:
        if same(expected, _resolve(decoded, fixtures), case.get("compare") == "ordered"):
            return verdict
        return "fail", "echo met the case; describe: the server decoded %s, expected %s" % (result["string"], _short(expected))
    if _lacks("describe", describe, listed, proven):
        return "missing", "echo met the case; the server does not implement describe: %s" % _short(describe)
    return "fail", "echo met the case; describe: expected the model %s, got %s" % (_short(expected), _short(describe))


# --- the conformance service -------------------------------------------------------------------

def service_functions(fixtures):
    """name -> callable. The C# conformance service implements the same names and semantics."""

    def echo(value):
        """Return the argument unchanged."""
        return value

    def echo_params(*params):
        """Return all parameters as an array."""
        return list(params)

    def describe(value):
        """Return the catalog model (canonical JSON text) of what this server decoded."""
        return describe_json(value)

    def fault(code, string):
        """Raise a Fault with this code and string."""
        raise xmlrpclib.Fault(code, string)

    def raise_error(message):
        """Raise ValueError(message): CPython's server sends Fault 1 '<class 'ValueError'>:message'."""
        raise ValueError(message)

    def today():
        """Return the current local date and time (the Python xmlrpc tutorial's today())."""
        return xmlrpclib.DateTime(datetime.datetime.today())

    def python_logo():
        """Return the Python logo image (the Python xmlrpc tutorial's python_logo())."""
        with open(os.path.join(fixtures, "seed", "python-logo.png"), "rb") as handle:
            return xmlrpclib.Binary(handle.read())

    def add(x, y):
        """Return x + y."""
        return x + y

    def subtract(x, y):
        """Return x - y."""
        return x - y

    def multiply(x, y):
        """Return x * y."""
        return x * y

    def divide(x, y):
        """Return x // y (integer division)."""
        return x // y

    def sleep(seconds):
        """Sleep (at most 10 seconds), then return the seconds slept."""
        time.sleep(min(float(seconds), 10.0))
        return seconds

    def make_string(length):
        """Return a string of `length` 'x' characters (at most 16 MiB)."""
        return "x" * min(int(length), 16 * 1024 * 1024)

    # validator1: the UserLand validator suite (validator.xmlrpc.com), same semantics.
    def array_of_structs_test(structs):
        """Sum the 'curly' members of an array of structs."""
        return sum(s["curly"] for s in structs)

    def count_the_entities(s):
        """Count < > & ' and \" characters of a string."""
        return {"ctLeftAngleBrackets": s.count("<"), "ctRightAngleBrackets": s.count(">"),
                "ctAmpersands": s.count("&"), "ctApostrophes": s.count("'"), "ctQuotes": s.count('"')}

    def easy_struct_test(s):
        """Return moe + larry + curly of a struct."""
        return s["moe"] + s["larry"] + s["curly"]

    def echo_struct_test(s):
        """Return the struct unchanged."""
        return s

    def many_types_test(number, boolean, string, double, date_time, base64_value):
        """Return the six parameters as an array."""
        return [number, boolean, string, double, date_time, base64_value]

    def moderate_size_array_check(strings):
        """Return the first and the last string of an array, concatenated."""
        return strings[0] + strings[-1]

    def nested_struct_test(calendar):
        """Return moe + larry + curly of calendar['2000']['04']['01']."""
        day = calendar["2000"]["04"]["01"]
        return day["moe"] + day["larry"] + day["curly"]

    def simple_struct_return_test(n):
        """Return n times 10, 100 and 1000 in a struct."""
        return {"times10": n * 10, "times100": n * 100, "times1000": n * 1000}

    return {
        "echo": echo, "echo_params": echo_params, "describe": describe, "nested.echo": echo,
        "fault": fault, "raise_error": raise_error,
        "today": today, "python_logo": python_logo,
        "add": add, "subtract": subtract, "multiply": multiply, "divide": divide,
        "sleep": sleep, "make_string": make_string,
        "validator1.arrayOfStructsTest": array_of_structs_test,
        "validator1.countTheEntities": count_the_entities,
        "validator1.easyStructTest": easy_struct_test,
        "validator1.echoStructTest": echo_struct_test,
        "validator1.manyTypesTest": many_types_test,
        "validator1.moderateSizeArrayCheck": moderate_size_array_check,
        "validator1.nestedStructTest": nested_struct_test,
        "validator1.simpleStructReturnTest": simple_struct_return_test,
    }


def register_service(dispatcher, fixtures):
    """Register the conformance service on a stock SimpleXMLRPCDispatcher/-Server."""
    for name, fn in sorted(service_functions(fixtures).items()):
        dispatcher.register_function(fn, name)
    dispatcher.register_introspection_functions()
    dispatcher.register_multicall_functions()
    return dispatcher


def new_dispatcher(fixtures):
    """The dispatcher CPython's server uses, as the conformance server configures it."""
    kwargs = {"allow_none": True, "encoding": None}
    if not PY2:
        kwargs["use_builtin_types"] = False
    return register_service(SimpleXMLRPCDispatcher(**kwargs), fixtures)
