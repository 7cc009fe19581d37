#!/usr/bin/env bash
# Builds the Python peer images with no container registry (air-gapped CI):
#
#   bash python-peers/build-images.sh [--rebuild] [--jobs N] [bullseye bookworm trixie]
#
# Per Debian suite:
#   1. debootstrap --variant=minbase --include=python3-minimal,libpython3-stdlib <suite> <root> <mirror>
#      (root cached under $PEER_IMAGE_CACHE/roots/<suite>, default /var/cache/xmlrpc-conformance)
#   2. tar -C <root> -c . | docker import - xmlrpc-conformance/debian-python:<suite>
#   3. docker build --build-arg BASE_IMAGE=xmlrpc-conformance/debian-python:<suite> \
#                   -f python-peers/Dockerfile -t xmlrpc-conformance/python-peer:<version> .
#      bullseye -> 3.9, bookworm -> 3.11, trixie -> 3.13
#   4. docker run --rm --network host <peer> --port 0 --max-lifetime 1: the ready line must come.
#
# A peer image is skipped when it exists and was built from the same inputs (python-peers/*.py,
# the Dockerfile, fixtures/: label org.xmlrpc-conformance.inputs); --rebuild redoes everything,
# debootstrap included. The mirror is the Debian archive this machine's apt uses
# (/etc/apt/sources.list, /etc/apt/sources.list.d/*.list and deb822 *.sources), or $DEBIAN_MIRROR.
# Suites build in parallel (--jobs, default: all at once; $PEER_IMAGE_JOBS). Needs root (debootstrap)
# and a Docker engine. Exit status: 0 when every requested image exists and answers, 1 otherwise,
# 2 on usage errors.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

CACHE=${PEER_IMAGE_CACHE:-/var/cache/xmlrpc-conformance}
BASE_REPO=xmlrpc-conformance/debian-python
PEER_REPO=xmlrpc-conformance/python-peer
declare -A VERSION=([bullseye]=3.9 [bookworm]=3.11 [trixie]=3.13)

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

rebuild=0
jobs=${PEER_IMAGE_JOBS:-0}
suites=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) rebuild=1 ;;
    --jobs) [ $# -ge 2 ] || usage; jobs=$2; shift ;;
    --jobs=*) jobs=${1#--jobs=} ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) [ -n "${VERSION[$1]:-}" ] || { echo "unknown suite $1 (bullseye, bookworm, trixie)" >&2; exit 2; }
       suites+=("$1") ;;
  esac
  shift
done
[ ${#suites[@]} -gt 0 ] || suites=(bullseye bookworm trixie)
[[ "$jobs" =~ ^[0-9]+$ ]] || { echo "--jobs needs a number" >&2; exit 2; }
[ "$jobs" -gt 0 ] || jobs=${#suites[@]}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# The Debian archive this machine's apt reads: first entry of type deb whose suites include a plain
# Debian release name (not -security/-updates, not a third-party repository).
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local releases=' buster bullseye bookworm trixie forky duke sid oldoldstable oldstable stable testing unstable '
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI suite [component...]
    awk -v rel="$releases" '
      /^[[:space:]]*deb[[:space:]]/ {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        uri = $i; suite = $(i + 1)
        if (index(rel, " " suite " ")) { print uri; exit }
      }' "$f"
  done | head -1 | grep . && return
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822 stanzas separated by blank lines: Types:, URIs:, Suites:, Enabled:
    awk -v rel="$releases" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no") {
          n = split(suites, s, " ")
          for (k = 1; k <= n; k++) if (index(rel, " " s[k] " ")) { split(uris, u, " "); print u[1]; found = 1; exit }
        }
        types = ""; uris = ""; suites = ""; enabled = ""
      }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      { line = $0; key = tolower(line); sub(/:.*/, "", key); val = line; sub(/^[^:]*:[[:space:]]*/, "", val)
        if (key == "types") types = val; else if (key == "uris") uris = val
        else if (key == "suites") suites = val; else if (key == "enabled") enabled = tolower(val) }
      END { if (!found) flush() }' "$f"
  done | head -1 | grep . && return
  return 1
}

inputs_hash() {
  { cat python-peers/Dockerfile python-peers/*.py .dockerignore 2>/dev/null
    find fixtures -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16
}

image_label() { docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

build_suite() {
  local suite=$1 version=${VERSION[$1]} log=$2
  local base="$BASE_REPO:$suite" peer="$PEER_REPO:$version"
  local rootfs="$CACHE/roots/$suite" t
  if [ "$rebuild" = 0 ] && [ "$(image_label "$peer" org.xmlrpc-conformance.inputs)" = "$HASH" ]; then
    say "$suite: $peer is up to date (inputs $HASH), skipped"
    return 0
  fi
  if [ "$rebuild" = 1 ] || ! docker image inspect "$base" >/dev/null 2>&1; then
    if [ "$rebuild" = 1 ] || [ ! -f "$rootfs.ok" ]; then
      t=$(now)
      rm -rf "$rootfs" "$rootfs.ok"
      mkdir -p "$rootfs" "$CACHE/debs/$suite"
      debootstrap --variant=minbase --include=python3-minimal,libpython3-stdlib \
        --cache-dir="$CACHE/debs/$suite" "$suite" "$rootfs" "$MIRROR" >>"$log" 2>&1 \
        || { say "$suite: debootstrap FAILED (log: $log)"; tail -15 "$log"; return 1; }
      # Package lists and downloaded .debs are build leftovers; the image needs neither.
      rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
      touch "$rootfs.ok"
      say "$suite: debootstrap $(since "$t") s"
    else
      say "$suite: cached root $rootfs"
    fi
    t=$(now)
    tar -C "$rootfs" -c . | docker import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
      -c 'CMD ["python3"]' - "$base" >>"$log" 2>&1 \
      || { say "$suite: docker import FAILED (log: $log)"; tail -15 "$log"; return 1; }
    say "$suite: docker import $base $(since "$t") s"
  fi
  t=$(now)
  local old_id
  old_id=$(docker image inspect --format '{{.Id}}' "$peer" 2>/dev/null || true)
  docker build --build-arg "BASE_IMAGE=$base" --label "org.xmlrpc-conformance.inputs=$HASH" \
    --label "org.xmlrpc-conformance.base=$base" -f python-peers/Dockerfile -t "$peer" . >>"$log" 2>&1 \
    || { say "$suite: docker build FAILED (log: $log)"; tail -25 "$log"; return 1; }
  say "$suite: docker build $peer $(since "$t") s"
  # The image this one replaces would stay behind untagged; drop it unless something still uses it.
  if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect --format '{{.Id}}' "$peer")" ]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true
  fi
}

check_ready() {
  local peer="$PEER_REPO:${VERSION[$1]}" line t
  t=$(now)
  line=$(docker run --rm --network host "$peer" --port 0 --max-lifetime 1 2>/dev/null | head -1 || true)
  if [[ "$line" == *'"event": "ready"'* ]]; then
    say "${1}: $peer ready in $(since "$t") s (run + exit): $line"
  else
    say "${1}: $peer printed no ready line: ${line:-<nothing>}"
    return 1
  fi
}

command -v docker >/dev/null || { echo "docker not found" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "no Docker engine answers (docker info)" >&2; exit 1; }
mkdir -p "$CACHE/logs" "$CACHE/roots"
exec 9>"$CACHE/build.lock"
flock 9  # one build at a time per cache (CI and a developer, two test runs...)

HASH=$(inputs_hash)
MIRROR=""
needs_root=0
for s in "${suites[@]}"; do
  if [ "$rebuild" = 1 ] || { ! docker image inspect "$BASE_REPO:$s" >/dev/null 2>&1 && [ ! -f "$CACHE/roots/$s.ok" ]; }; then needs_root=1; fi
done
if [ "$needs_root" = 1 ]; then
  command -v debootstrap >/dev/null || { echo "debootstrap not found (apt-get install debootstrap)" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "debootstrap needs root" >&2; exit 1; }
  MIRROR=$(debian_mirror) || { echo "no Debian mirror in /etc/apt/sources.list{,.d}: set DEBIAN_MIRROR=http://.../debian" >&2; exit 1; }
  say "mirror $MIRROR"
fi

start=$(now)
say "building ${suites[*]} ($jobs at a time, inputs $HASH, cache $CACHE)"
pids=(); names=(); failed=()
for s in "${suites[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  log="$CACHE/logs/$s.log"
  : >"$log"
  build_suite "$s" "$log" & pids+=($!); names+=("$s")
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed+=("${names[$i]}")
done
for s in "${suites[@]}"; do
  [[ " ${failed[*]} " == *" $s "* ]] && continue
  check_ready "$s" || failed+=("$s")
done
say "done in $(since "$start") s"
docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^xmlrpc-conformance/' | sort || true
if [ ${#failed[@]} -gt 0 ]; then
  say "FAILED: ${failed[*]}"
  exit 1
fi
