#!/usr/bin/env bash
# Sets a machine up for berth: installs what is missing, builds, starts berthd on unix:///var/run/berth.sock and
# makes busybox:latest available offline (built from Debian's static busybox). Safe to run again.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
"$repo/scripts/install-deps.sh"
"$repo/scripts/build.sh"
"$repo/scripts/aot-cache.sh" daemon || echo "warning: no AOT cache for berthd; it starts slower" >&2

sock=/var/run/berth.sock
log=/var/log/berth/berthd.log
mkdir -p /var/log/berth
if ! curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; then
  echo "starting berthd (log: $log)"
  setsid nohup "$repo/bin/berthd" >>"$log" 2>&1 < /dev/null &
  for _ in $(seq 1 100); do
    curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null || { echo "berthd did not start; see $log" >&2; exit 1; }
fi

if ! "$repo/bin/berth" image inspect busybox:latest >/dev/null 2>&1; then
  tar="$(mktemp --suffix=.tar)"
  "$repo/scripts/busybox-rootfs.sh" "$tar"
  "$repo/bin/berth" image import --change 'CMD ["sh"]' "$tar" busybox:latest
  rm -f "$tar"
fi
# Trained against the running daemon, so the cache holds what a real command loads.
BERTH_HOST="unix://$sock" "$repo/scripts/aot-cache.sh" cli || echo "warning: no AOT cache for berth; it starts slower" >&2
echo "berth is ready: bin/berth run --rm busybox echo hello"
