# -*- coding: utf-8 -*-
"""The client examples of CPython's xmlrpc.client documentation, run against a server given by URL.

Used by the interop tests (SeedExamples, python client -> C# server). Each example is written as the
tutorial writes it; a Python 2.7 import fallback is the only addition. Prints one JSON line per example:
{"example": name, ...what the tutorial prints or writes...} or {"example": name, "error": text}.

usage: tutorial.py URL
"""
from __future__ import print_function

import datetime
import hashlib
import json
import sys

try:
    import xmlrpc.client as xmlrpc_client
except ImportError:  # Python 2.7
    import xmlrpclib as xmlrpc_client  # type: ignore

URL = sys.argv[1]


def emit(**fields):
    print(json.dumps(fields, sort_keys=True))
    sys.stdout.flush()


def example(name):
    def wrap(fn):
        try:
            fn()
        except Exception as e:  # the example's failure is the observation
            emit(example=name, error="%s: %s" % (type(e).__name__, e))
        return fn
    return wrap


@example("today")
def today_example():
    # "proxy.today()" then strptime(today.value, "%Y%m%dT%H:%M:%S"), as in the DateTime example.
    proxy = xmlrpc_client.ServerProxy(URL)
    today = proxy.today()
    converted = datetime.datetime.strptime(today.value, "%Y%m%dT%H:%M:%S")
    emit(example="today", type=today.__class__.__name__, value=today.value,
         printed="Today: %s" % converted.strftime("%d.%m.%Y, %H:%M"))


@example("python_logo")
def python_logo_example():
    # handle.write(proxy.python_logo().data), as in the Binary example (kept in a name to report its
    # type): the bytes are hashed here.
    proxy = xmlrpc_client.ServerProxy(URL)
    logo = proxy.python_logo()
    data = logo.data
    emit(example="python_logo", type=logo.__class__.__name__, length=len(data),
         sha256=hashlib.sha256(data).hexdigest())


@example("multicall")
def multicall_example():
    # The MultiCall example, verbatim but for the print.
    proxy = xmlrpc_client.ServerProxy(URL)
    multicall = xmlrpc_client.MultiCall(proxy)
    multicall.add(7, 3)
    multicall.subtract(7, 3)
    multicall.multiply(7, 3)
    multicall.divide(7, 3)
    result = multicall()
    emit(example="multicall", printed="7+3=%d, 7-3=%d, 7*3=%d, 7//3=%d" % tuple(result))
