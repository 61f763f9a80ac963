#!/usr/bin/env bash
# Installs the Debian packages berth needs and that a fresh machine may lack. Idempotent; needs root.
set -euo pipefail
packages=(runc conmon busybox-static iptables iproute2 util-linux tini tmux maven bsdutils skopeo procps libcap2-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  echo "JDK 25 not found at /usr/lib/jvm/temurin-25-jdk-amd64 (set BERTH_JAVA_HOME to another JDK 25)" >&2
  [[ -n "${BERTH_JAVA_HOME:-}" ]] || exit 1
fi
