#!/usr/bin/env bash
# Startup time to the ready line and RSS of the conformance server: Native AOT vs JIT vs CPython's server.py, one run.
#   bash scripts/aot-startup.sh [--runs N] [--calls N]
# Publishes the AOT server (scripts/publish-aot.sh) unless artifacts/aot/server/Conformance.Server exists, builds the
# JIT server in Release, then runs scripts/aot_startup.py with python3 (its arguments are passed on).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x artifacts/aot/server/Conformance.Server ] || bash scripts/publish-aot.sh
dotnet build suite/Conformance.Server -c Release -v q -nologo >/dev/null
python3 scripts/aot_startup.py --aot artifacts/aot/server/Conformance.Server \
  --jit suite/Conformance.Server/bin/Release/net10.0/Conformance.Server.dll "$@"
