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
# Debian's Docker Engine: the peer the interop tests (DockerEngineRoundTripIT) and bench/run compare berth with, on
# side sockets of their own. Its init scripts must not start a system dockerd: a policy-rc.d forbids that meanwhile.
if ! command -v dockerd >/dev/null || ! command -v containerd >/dev/null; then
  echo "installing: docker.io (the reference engine for interop tests)"
  created_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  ((created_policy)) && rm -f /usr/sbin/policy-rc.d
fi
if [[ ! -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  echo "JDK 25 not found at /usr/lib/jvm/temurin-25-jdk-amd64 (set BERTH_JAVA_HOME to another JDK 25)" >&2
  [[ -n "${BERTH_JAVA_HOME:-}" ]] || exit 1
fi
