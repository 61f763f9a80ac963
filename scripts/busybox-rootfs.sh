#!/usr/bin/env bash
# Builds a busybox root filesystem tar from Debian's static busybox (package busybox-static):
#   scripts/busybox-rootfs.sh out.tar && berth image import --change 'CMD ["sh"]' out.tar busybox:latest
# The tar is reproducible: entries sorted, owner 0:0, every mtime 0, so the same busybox binary always gives the
# same layer diff_id. Each applet is a hard link to bin/busybox, as in the official busybox image.
# BUSYBOX=/path/to/busybox overrides the binary (it must be statically linked: nothing else goes into the image).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUT.tar" >&2
  exit 2
fi
out="$1"
busybox="${BUSYBOX:-/bin/busybox}"

if [ ! -x "$busybox" ]; then
  echo "$0: $busybox not found: install Debian's busybox-static (apt-get install busybox-static)" >&2
  exit 1
fi
ldd_says="$(LC_ALL=C ldd "$busybox" 2>&1 || true)"
case "$ldd_says" in
  *"not a dynamic executable"* | *"statically linked"*) ;;
  *) echo "$0: $busybox is dynamically linked; the image has no libraries for it: install busybox-static" >&2
     exit 1 ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"
umask 022

for dir in bin sbin usr/bin usr/sbin etc root home proc sys dev var run tmp; do
  mkdir -p "$root/$dir"
done
chmod 0755 "$root"
chmod 0700 "$root/root"
chmod 1777 "$root/tmp"

install -m 0755 "$busybox" "$root/bin/busybox"
"$busybox" --list-full | while IFS= read -r applet; do
  [ -n "$applet" ] || continue
  [ "$applet" = bin/busybox ] && continue
  mkdir -p "$root/$(dirname "$applet")"
  ln -f "$root/bin/busybox" "$root/$applet"
done

cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
chmod 0644 "$root/etc/passwd" "$root/etc/group"

# Write beside the target and rename, so an interrupted run never leaves a partial tar under the final name.
tmp="$out.tmp.$$"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
    --no-acls --no-xattrs --no-selinux -C "$root" -cf "$tmp" .
mv -f "$tmp" "$out"
