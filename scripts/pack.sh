#!/usr/bin/env bash
# Builds the packages into a local feed (artifacts/packages by default): the library (XmlRpcWire, .Client, .Server)
# and the report tool (XmlRpcWire.Conformance), with symbol packages. Warning-free or it fails; then each package is
# opened and checked (scripts/check_packages.py). Install the tool from the feed with:
#   dotnet tool install --global XmlRpcWire.Conformance --add-source artifacts/packages
set -euo pipefail
cd "$(dirname "$0")/.."
feed=${1:-artifacts/packages}
rm -rf "$feed"
log=$(mktemp)
dotnet pack Conformance.sln -c Release -o "$feed" -p:TreatWarningsAsErrors=true -p:ContinuousIntegrationBuild=true 2>&1 | tee "$log" | grep -E 'Successfully created|error' || true
status=${PIPESTATUS[0]}
if [ "$status" != 0 ] || grep -qE ': warning ' "$log"; then
  grep -E ': (warning|error) ' "$log" | sort -u
  echo "dotnet pack failed or warned"; rm -f "$log"; exit 1
fi
rm -f "$log"
python3 scripts/check_packages.py "$feed"
