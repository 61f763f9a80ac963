#!/usr/bin/env bash
# Builds JDK 25 AOT caches (JEP 483/514/515): class loading and linking done once on this machine instead of at
# every start. A cache is tied to the exact JDK build and class path, so it is made here and never committed.
#   scripts/aot-cache.sh daemon   trains berthd on a private socket and data root (no running daemon needed)
#   scripts/aot-cache.sh cli      trains berth with `ps -a` against the daemon at $BERTH_HOST (default socket),
#                                 or with `ps --help` when none answers
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:-all}"

daemon_cache() {
  local out="$repo/berth-daemon/target/berthd.aot" dir pid
  dir="$(mktemp -d /tmp/berth-aot.XXXXXX)"
  # The training daemon and its files go whatever happens (ctrl-c, a failed step).
  trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' RETURN
  BERTH_AOT_TRAIN="$dir/berthd.aot" "$repo/bin/berthd" -H "unix://$dir/d.sock" --data-root "$dir/data" \
    --exec-root "$dir/run" >"$dir/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    curl -sf --unix-socket "$dir/d.sock" http://localhost/_ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  for path in /_ping /version /info /containers/json?all=1 /images/json "/containers/nope/json"; do
    curl -s --unix-socket "$dir/d.sock" "http://localhost/v1.50$path" >/dev/null || true
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || true
  # Replaces the cache only when training produced one, so a failed run keeps the last good cache.
  [[ -f "$dir/berthd.aot" ]] || { echo "aot-cache: berthd cache not written (see $dir/log)" >&2; return 1; }
  mv "$dir/berthd.aot" "$out"
}

cli_cache() {
  local out="$repo/berth-cli/target/berth-cli.aot" tmp
  tmp="$(mktemp -u "$out.XXXXXX")"
  local host="${BERTH_HOST:-unix:///var/run/berth.sock}"
  if curl -sf --unix-socket "${host#unix://}" http://localhost/_ping >/dev/null 2>&1; then
    BERTH_AOT_TRAIN="$tmp" "$repo/bin/berth" -H "$host" ps -a >/dev/null 2>&1 || true
  else
    BERTH_AOT_TRAIN="$tmp" "$repo/bin/berth" ps --help >/dev/null 2>&1 || true
  fi
  [[ -f "$tmp" ]] || { echo "aot-cache: berth cache not written" >&2; return 1; }
  mv "$tmp" "$out"
}

case "$what" in
  daemon) daemon_cache ;;
  cli) cli_cache ;;
  all) daemon_cache; cli_cache ;;
  *) echo "usage: scripts/aot-cache.sh [daemon|cli|all]" >&2; exit 2 ;;
esac
