#!/usr/bin/env bash
# Self-check of the foreign peers (CI): build (install.sh), start each server and check its ready
# line and one echo call (python3's xmlrpc.client), run each client against python-peers/server.py
# for a handful of cases and check the observations with judge.py. Loopback only; every process is
# started here, bounded in time, and stopped by its pid. Exit non-zero if something is broken.
#
#   bash suite/foreign-peers/test_foreign.sh [--skip-install]
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TMP="$(mktemp -d)"
PIDS=()
FAILED=0
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

if [ "${1:-}" != "--skip-install" ]; then
  bash "$HERE/install.sh" || { echo "test_foreign: install.sh failed"; exit 1; }
fi

fail() { echo "FAIL: $*"; FAILED=1; }
ok() { echo "ok: $*"; }

# start NAME CMD... : runs a server with --max-lifetime 60, waits up to 10 s for its ready line, sets URL
start() {
  local name="$1"; shift
  "$@" --host 127.0.0.1 --port 0 --max-lifetime 60 >"$TMP/$name.out" 2>"$TMP/$name.err" &
  PIDS+=($!)
  URL=""
  for _ in $(seq 100); do
    if [ -s "$TMP/$name.out" ]; then
      URL="$(python3 - "$TMP/$name.out" "$name" <<'PY'
import json, sys
line = open(sys.argv[1]).readline()
d = json.loads(line)
assert d["event"] == "ready" and d["role"] == "server", d
assert d["url"] == "http://127.0.0.1:%d/RPC2" % d["port"], d
assert d["implementation"] and d["version"], d
print(d["url"])
PY
)" && break
    fi
    sleep 0.1
  done
  [ -n "$URL" ] || { fail "$name: no valid ready line"; cat "$TMP/$name.err"; return 1; }
  ok "$name ready at $URL"
}

echo_check() {
  local name="$1" url="$2"
  if python3 - "$url" <<'PY'
import sys, xmlrpc.client
p = xmlrpc.client.ServerProxy(sys.argv[1], allow_none=True)
assert p.echo("a<&b") == "a<&b"
assert p.describe(5) == '{"int":5}', p.describe(5)
assert p.add(2, 3) == 5
PY
  then ok "$name: echo/describe/add"; else fail "$name: echo/describe/add"; fi
}

# loopback refusal
if "$HERE/xmlrpc-c/bin/server" --host 0.0.0.0 --max-lifetime 1 >/dev/null 2>&1; then fail "xmlrpc-c server accepted --host 0.0.0.0"; else [ $? = 2 ] && ok "xmlrpc-c server refuses 0.0.0.0 (exit 2)" || fail "xmlrpc-c server: wrong exit status for 0.0.0.0"; fi
if timeout 10 node "$HERE/node/server.js" --host 0.0.0.0 --max-lifetime 1 >/dev/null 2>&1; then fail "node server accepted --host 0.0.0.0"; else [ $? = 2 ] && ok "node server refuses 0.0.0.0 (exit 2)" || fail "node server: wrong exit status for 0.0.0.0"; fi

start xmlrpc-c "$HERE/xmlrpc-c/bin/server" && echo_check xmlrpc-c "$URL"
start node node "$HERE/node/server.js" && echo_check node "$URL"
start cpython python3 "$REPO/python-peers/server.py" || exit 1
PYURL="$URL"

CASES=(--case 'value.int.*' --case 'value.struct.one-member' --case 'fault.simple' --case 'multicall.all-success' --case 'value.base64.image')
check_client() {
  local name="$1"; shift
  timeout 60 "$@" --url "$PYURL" "${CASES[@]}" --timeout 5 --max-lifetime 50 >"$TMP/$name.jsonl" 2>"$TMP/$name.client.err" \
    || { fail "$name client exit status $?"; tail -5 "$TMP/$name.client.err"; return; }
  python3 - "$TMP/$name.jsonl" "$name" <<'PY' || FAILED=1
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
name = sys.argv[2]
assert lines[0]["event"] == "start" and lines[0]["role"] == "client" and lines[0]["shapes"] == ["call", "multicall"], lines[0]
assert lines[-1]["event"] == "summary" and lines[-1]["total"] == len(lines) - 2, lines[-1]
by = dict((l["case"], l) for l in lines[1:-1])
need = {
    "value.int.max": {"response": {"result": {"int": 2147483647}}},
    "fault.simple": {"response": {"fault": {"code": 4, "string": "Too many parameters"}}},
    "multicall.all-success": {"response": {"results": [{"result": {"int": 5}}, {"result": {"int": 6}}, {"result": {"string": "a"}}]}},
    "value.struct.one-member": {"response": {"result": {"struct": [["a", {"int": 1}]]}}},
}
bad = [(k, by.get(k, {}).get("observation")) for k, v in need.items() if by.get(k, {}).get("observation") != v]
d = by["value.int.max"].get("describe")
if d != {"response": {"result": {"string": '{"int":2147483647}'}}}:
    bad.append(("value.int.max describe", d))
img = by["value.base64.image"]["observation"]["response"]["result"]["base64"]
if not img.startswith("iVBORw0KGgo"):
    bad.append(("value.base64.image", img[:20]))
for b in bad:
    print("FAIL: %s: %s: %r" % (name, b[0], b[1]))
print("ok: %s client: %d cases, the checked observations as expected" % (name, len(by)) if not bad else "")
sys.exit(1 if bad else 0)
PY
}
check_client xmlrpc-c python3 "$HERE/xmlrpc-c/client.py"
check_client node node "$HERE/node/client.js"

[ "$FAILED" = 0 ] && echo "test_foreign: all checks passed" || echo "test_foreign: FAILED"
exit "$FAILED"
