#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""The stock CPython conformance server: SimpleXMLRPCServer serving the conformance service.

    python3 python-peers/server.py [--host 127.0.0.1] [--port 0] [--max-lifetime 900] [--fixtures DIR]

The server is deliberately stock (HTTP/1.0 replies, the default encode_threshold of 1400 bytes,
rpc_paths '/' and '/RPC2', single-threaded): it *is* the reference behaviour the catalog pins.
Only allow_none=True and logRequests=False are set.

stdout carries exactly one JSON line, the ready line (python-peers/README.md); everything else
(request errors, the lifetime note) goes to stderr. SIGTERM and SIGINT end it cleanly (exit 0);
so does --max-lifetime. Standard library only; Python 2.7 and 3.6+.
"""
from __future__ import print_function, unicode_literals

import argparse
import json
import os
import signal
import socket
import sys
import threading
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance as c  # noqa: E402

# How long a --max-lifetime shutdown may wait for a request in progress before the process exits anyway.
SHUTDOWN_GRACE_SECONDS = 5.0


def is_loopback(host):
    """127.0.0.0/8, ::1 and localhost; a name is resolved and every address must be loopback."""
    if host in ("localhost", "::1"):
        return True
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    addresses = set(info[4][0] for info in infos)
    return bool(addresses) and all(a.startswith("127.") or a == "::1" for a in addresses)


class IPv6Server(c.SimpleXMLRPCServer):
    address_family = socket.AF_INET6


def make_server(host, port):
    cls = IPv6Server if ":" in host else c.SimpleXMLRPCServer
    return cls((host, port), logRequests=False, allow_none=True)


def url_host(host):
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"  # bound to every address: the loopback one is always reachable
    if host == "::":
        return "[::1]"
    return "[%s]" % host if ":" in host else host


def ready_line(server, host):
    port = server.server_address[1]
    return OrderedDict([
        ("event", "ready"),
        ("role", "server"),
        ("port", port),
        ("url", "http://%s:%d/RPC2" % (url_host(host), port)),
        ("implementation", "CPython"),
        ("version", c.python_version()),
        ("build", " ".join(sys.version.split())),
    ])


def parse_args(argv):
    parser = argparse.ArgumentParser(description="The stock CPython XML-RPC conformance server (JSON ready line on stdout).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; loopback only unless --allow-non-loopback)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port, printed in the ready line)")
    parser.add_argument("--allow-non-loopback", action="store_true",
                        help="allow a --host that is not a loopback address (containers on a bridge network)")
    parser.add_argument("--max-lifetime", type=float, default=900.0, metavar="SECONDS",
                        help="exit by itself after this many seconds (default 900; 0 = no limit)")
    parser.add_argument("--fixtures", metavar="DIR", help="the fixtures/ folder (default: $CONFORMANCE_FIXTURES, beside python-peers/, /fixtures)")
    args = parser.parse_args(argv)
    if not args.allow_non_loopback and not is_loopback(args.host):
        parser.error("--host %s is not a loopback address (add --allow-non-loopback to serve beyond this machine)" % args.host)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be 0..65535")
    return c.check_peer_args(parser, args)


def main(argv=None):
    args = parse_args(argv)
    fixtures = args.fixtures
    server = make_server(args.host, args.port)
    c.register_service(server, fixtures)

    stopping = threading.Event()
    stoppers = []

    def stop(reason):
        """Finish the request in progress, then leave serve_forever; never outlive the grace period."""
        if stopping.is_set():
            return
        stopping.set()
        if reason:
            sys.stderr.write("server.py: %s, exiting\n" % reason)
            sys.stderr.flush()

        def shut():
            stopper = threading.Thread(target=server.shutdown)
            stopper.daemon = True
            stopper.start()
            stopper.join(SHUTDOWN_GRACE_SECONDS)
            if stopper.is_alive():  # single-threaded server with a stuck request: exit anyway
                sys.stderr.write("server.py: a request is still in progress, exiting anyway\n")
                sys.stderr.flush()
                os._exit(0)
        t = threading.Thread(target=shut)
        t.daemon = True
        t.start()
        stoppers.append(t)

    # A signal only asks serve_forever to return (it polls every 0.5 s): raising from the handler
    # would be swallowed by Python 2.7's socketserver when it lands inside a request.
    signal.signal(signal.SIGTERM, lambda signum, frame: stop(None))
    signal.signal(signal.SIGINT, lambda signum, frame: stop(None))
    if args.max_lifetime > 0:
        timer = threading.Timer(args.max_lifetime, stop, ["--max-lifetime of %g s reached" % args.max_lifetime])
        timer.daemon = True
        timer.start()

    out = sys.stdout
    out.write(json.dumps(ready_line(server, args.host)) + "\n")
    out.flush()
    # The ready line is the only thing stdout ever carries: Python 2.7's socketserver prints request
    # errors to stdout, so from here on anything printed goes to stderr.
    sys.stdout = sys.stderr

    try:
        server.serve_forever()
    except KeyboardInterrupt:  # a SIGINT that arrived before the handler was installed
        pass
    finally:
        server.server_close()
    for t in stoppers:  # let it see serve_forever return (2.7 complains about daemon threads at exit)
        t.join(1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
