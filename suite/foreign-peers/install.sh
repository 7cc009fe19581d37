#!/usr/bin/env bash
# Build the foreign peers: xmlrpc-c (C, Debian's libxmlrpc-core-c3-dev) and node-xmlrpc (npm xmlrpc).
# Idempotent and non-interactive (CI=true, no stdin, root for apt-get). Prints what it does; exits
# non-zero on any failure.
#
#   bash suite/foreign-peers/install.sh [--skip-apt]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SKIP_APT=0
for a in "$@"; do
  case "$a" in
    --skip-apt) SKIP_APT=1 ;;
    *) echo "install.sh: unknown argument $a" >&2; exit 2 ;;
  esac
done
export DEBIAN_FRONTEND=noninteractive

say() { echo "install.sh: $*"; }

# 1. xmlrpc-c development files (headers, xmlrpc-c-config, the shared libraries)
if dpkg -s libxmlrpc-core-c3-dev >/dev/null 2>&1; then
  say "libxmlrpc-core-c3-dev $(dpkg-query -W -f='${Version}' libxmlrpc-core-c3-dev) already installed"
elif [ "$SKIP_APT" = 1 ]; then
  say "libxmlrpc-core-c3-dev missing and --skip-apt given" >&2; exit 1
else
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { say "need root (or sudo) for apt-get" >&2; exit 1; }
    SUDO="sudo -n"
  fi
  say "apt-get install libxmlrpc-core-c3-dev"
  if ! $SUDO apt-get install -y --no-install-recommends libxmlrpc-core-c3-dev </dev/null; then
    say "apt-get update, then retry"
    $SUDO apt-get update </dev/null
    $SUDO apt-get install -y --no-install-recommends libxmlrpc-core-c3-dev </dev/null
  fi
fi
command -v xmlrpc-c-config >/dev/null || { say "xmlrpc-c-config not found after install" >&2; exit 1; }
command -v make >/dev/null || { say "make not found" >&2; exit 1; }

# 2. the C programs
say "make -C xmlrpc-c (xmlrpc-c $(xmlrpc-c-config --version))"
make -C "$HERE/xmlrpc-c" --no-print-directory
test -x "$HERE/xmlrpc-c/bin/server" && test -x "$HERE/xmlrpc-c/bin/client"
say "built xmlrpc-c/bin/server and xmlrpc-c/bin/client"

# 3. node-xmlrpc from package-lock.json
command -v node >/dev/null && command -v npm >/dev/null || { say "node and npm are needed" >&2; exit 1; }
if [ -f "$HERE/node/node_modules/xmlrpc/package.json" ] && [ "$HERE/node/node_modules/.package-lock.json" -nt "$HERE/node/package-lock.json" ]; then
  say "node/node_modules up to date (xmlrpc $(node -p "require('$HERE/node/node_modules/xmlrpc/package.json').version"))"
else
  say "npm ci in node/"
  (cd "$HERE/node" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
fi
node -e "require('$HERE/node/node_modules/xmlrpc')" || { say "xmlrpc module does not load" >&2; exit 1; }
say "node-xmlrpc $(node -p "require('$HERE/node/node_modules/xmlrpc/package.json').version") ready (node $(node --version))"
say "done"
