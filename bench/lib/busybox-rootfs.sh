#!/usr/bin/env bash
# Writes a busybox root filesystem tar to $1: the static busybox, one symlink per applet, and the few files a
# shell expects. Used until scripts/busybox-rootfs.sh exists; both engines import the same tar.
set -euo pipefail
out="$1"
busybox="$(command -v busybox)"
file -L "$busybox" | grep -q 'statically linked' || { echo "busybox at $busybox is not static (apt-get install busybox-static)" >&2; exit 1; }
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,var}
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
"$busybox" --list-full | while read -r applet; do
  [[ "$applet" == bin/busybox ]] && continue
  ln -sf /bin/busybox "$root/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$out" .
