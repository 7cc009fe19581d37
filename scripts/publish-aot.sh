#!/usr/bin/env bash
# Publishes the conformance server (suite/Conformance.Server) and the sample client (suite/Conformance.AotClient) as
# Native AOT executables for linux-x64, warning-free or it fails (trimming and AOT warnings IL2xxx/IL3xxx included):
#   bash scripts/publish-aot.sh [OUT]        -> OUT/server/Conformance.Server, OUT/client/Conformance.AotClient
# OUT defaults to artifacts/aot. Native AOT links with clang and needs zlib (Debian: apt-get install clang zlib1g-dev);
# where only a versioned clang (clang-14...) is installed, that one is used.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/aot}
linker=()
if ! command -v clang >/dev/null 2>&1; then
  versioned=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)
  [ -n "$versioned" ] || { echo "publish-aot: no clang on PATH (apt-get install clang zlib1g-dev)"; exit 1; }
  linker=(-p:CppCompilerAndLinker="$versioned")
fi
status=0
for project in Conformance.Server:server Conformance.AotClient:client; do
  name=${project%%:*}; dir=$out/${project##*:}
  rm -rf "$dir"
  log=$(mktemp)
  dotnet publish "suite/$name" -c Release -r linux-x64 -p:PublishAot=true "${linker[@]}" -o "$dir" >"$log" 2>&1 || status=1
  # A warning of any kind (the analyzers' and the AOT compiler's) fails the publish.
  if [ "$status" != 0 ] || grep -qE '(: |analysis )warning ' "$log"; then
    grep -E '(: |analysis )(warning|error) ' "$log" | sed 's/ \[.*//' | sort -u; tail -5 "$log"
    echo "publish-aot: $name failed or warned"; rm -f "$log"; exit 1
  fi
  rm -f "$log"
  printf '%s: %s (%s MB)\n' "$name" "$dir/$name" "$(du -m "$dir/$name" | cut -f1)"
done
