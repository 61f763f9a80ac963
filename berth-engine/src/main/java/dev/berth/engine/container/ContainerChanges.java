package dev.berth.engine.container;

import dev.berth.image.LayerStore;
import dev.berth.sys.DirFd;
import dev.berth.sys.SysException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Docker's {@code diff}: what a container changed, read from its overlay upper directory against the image layers
 * below it (moby's overlay changes). A whiteout (0:0 character device) is a deletion; a name absent from every lower
 * layer an addition, present in one a modification, except a directory whose size, mode and mtime are unchanged;
 * the parent of an added or deleted name is reported modified. An opaque directory (its contents replaced) is
 * modified, and the lower names it hides are deleted. Sorted by path components, the order of Docker's walk.
 *
 * <p>The upper directory is the container's to change: it is walked through descriptors without following symlinks.
 */
public final class ContainerChanges {
    private static final long NO_LINKS = DirFd.RESOLVE_BENEATH | DirFd.RESOLVE_NO_SYMLINKS | DirFd.RESOLVE_NO_MAGICLINKS;
    private static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    /**
     * What Docker keeps in a container's init layer, below its writable layer: the mount points the runtime creates
     * (hostname, hosts and resolv.conf bind mounts, /dev, /proc, /sys). runc creates them in the upper directory
     * here, so they are left out of the changes, as they are in Docker's.
     */
    static final Set<String> INIT_PATHS = Set.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/mtab",
            "/.dockerenv", "/dev", "/proc", "/sys");

    /**
     * Whether the upper directory at container path {@code dir} ("/etc") is there only because the runtime made its
     * mount points in it: not opaque, and every one of its (at least one) {@code children} an {@link #INIT_PATHS}
     * entry. Docker has such a directory in the container's init layer, so it is no change of the container's (diff)
     * nor part of its layer (commit), whether or not the image has it. An empty directory is the container's own
     * doing (an mkdir, or a chmod that copied it up), so it is not one of these.
     */
    static boolean onlyInitMountPoints(String dir, List<String> children, boolean opaque) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        return !opaque && !children.isEmpty() && children.stream().allMatch(n -> INIT_PATHS.contains(prefix + n));
    }

    private final ContainerService containers;
    private final LayerStore layers;

    public ContainerChanges(ContainerService containers, LayerStore layers) {
        this.containers = containers;
        this.layers = layers;
    }

    public enum Kind {
        MODIFIED(0), ADDED(1), DELETED(2);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    public record Change(String path, Kind kind) {}

    public List<Change> changes(String idOrName) {
        Container c = containers.get(idOrName);
        try {
            return changes(layers.mountFor(c.id()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the changes of " + c.id() + ": " + e.getMessage(), e);
        }
    }

    /** The changes of the overlay {@code mount}: its upper directory against its lower ones. */
    static List<Change> changes(LayerStore.Mount mount) throws IOException {
        List<String> lowers = lowerDirs(mount);
        var lowerFds = new int[lowers.size()];
        Arrays.fill(lowerFds, -1);
        int upper = -1;
        try {
            for (int i = 0; i < lowers.size(); i++) lowerFds[i] = DirFd.open(lowers.get(i), DirFd.O_PATH | DirFd.O_DIRECTORY);
            upper = DirFd.open(mount.upperDir().toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
            var walk = new Walk(lowerFds);
            walk.dir(upper, "");
            var out = walk.changes;
            out.sort(Comparator.comparing((Change ch) -> ch.path().split("/"), ContainerChanges::compareComponents));
            return out;
        } finally {
            for (int fd : lowerFds) DirFd.close(fd);
            DirFd.close(upper);
        }
    }

    private static int compareComponents(String[] a, String[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = a[i].compareTo(b[i]);
            if (c != 0) return c;
        }
        return Integer.compare(a.length, b.length);
    }

    static List<String> lowerDirs(LayerStore.Mount mount) {
        for (String o : mount.options()) {
            if (o.startsWith("lowerdir=")) return List.of(o.substring("lowerdir=".length()).split(":"));
        }
        return List.of();
    }

    private static final class Walk {
        final int[] lowers;
        final List<Change> changes = new ArrayList<>();
        final Set<String> changedDirs = new HashSet<>();

        Walk(int[] lowers) {
            this.lowers = lowers;
        }

        /** The children of the upper directory {@code fd}, whose container path is {@code prefix} ("" for /). */
        void dir(int fd, String prefix) throws IOException {
            for (String name : TreeTar.list(fd)) {
                String path = prefix + "/" + name;
                if (INIT_PATHS.contains(path)) continue;
                DirFd.Stat st = DirFd.statIfExists(fd, name);
                if (st == null) continue;
                if (st.type() == DirFd.S_IFCHR && st.rdevMajor() == 0 && st.rdevMinor() == 0) {
                    record(path, Kind.DELETED, false);
                    continue;
                }
                DirFd.Stat lower = lowerStat(path);
                Kind kind = Kind.ADDED;
                boolean unchangedDir = false;
                if (lower != null) {
                    kind = Kind.MODIFIED;
                    unchangedDir = st.isDirectory() && lower.isDirectory() && st.size() == lower.size()
                            && st.mode() == lower.mode() && st.mtimeSeconds() == lower.mtimeSeconds()
                            && st.mtimeNanos() == lower.mtimeNanos();
                }
                if (!st.isDirectory()) {
                    record(path, kind, false);
                    continue;
                }
                int child;
                try {
                    child = DirFd.openat2(fd, name, DirFd.O_RDONLY | DirFd.O_DIRECTORY | DirFd.O_NOFOLLOW, 0, NO_LINKS);
                } catch (SysException e) {
                    continue; // replaced meanwhile
                }
                try {
                    byte[] opaque = DirFd.getxattr(child, OPAQUE_XATTR);
                    boolean isOpaque = opaque != null && opaque.length == 1 && opaque[0] == 'y';
                    if (onlyInitMountPoints(path, TreeTar.list(child), isOpaque)) unchangedDir = true;
                    if (!unchangedDir || isOpaque) record(path, kind, true);
                    if (isOpaque && lower != null) hiddenByOpaque(child, path);
                    dir(child, path);
                } finally {
                    DirFd.close(child);
                }
            }
        }

        private void record(String path, Kind kind, boolean isDir) {
            if (isDir) changedDirs.add(path);
            if (kind != Kind.MODIFIED) {
                String parent = path.substring(0, path.lastIndexOf('/'));
                if (!parent.isEmpty() && changedDirs.add(parent)) changes.add(new Change(parent, Kind.MODIFIED));
            }
            changes.add(new Change(path, kind));
        }

        /** Names in the lower layers' {@code path} that the opaque upper directory {@code fd} does not have. */
        private void hiddenByOpaque(int fd, String path) throws IOException {
            var present = new HashSet<>(TreeTar.list(fd));
            var seen = new HashSet<String>();
            for (int lower : lowers) {
                int dir = openLowerDir(lower, path);
                if (dir < 0) continue;
                try {
                    for (String name : TreeTar.list(dir)) {
                        if (!present.contains(name) && seen.add(name)) changes.add(new Change(path + "/" + name, Kind.DELETED));
                    }
                } finally {
                    DirFd.close(dir);
                }
            }
        }

        /** The entry at {@code path} in the first lower layer that has one, or null. */
        private DirFd.Stat lowerStat(String path) throws IOException {
            int slash = path.lastIndexOf('/');
            String parent = path.substring(0, slash);
            String name = path.substring(slash + 1);
            for (int lower : lowers) {
                int dir = openLowerDir(lower, parent);
                if (dir < 0) continue;
                try {
                    DirFd.Stat st = DirFd.statIfExists(dir, name);
                    if (st != null) return st;
                } finally {
                    DirFd.close(dir);
                }
            }
            return null;
        }

        private static int openLowerDir(int lower, String path) throws SysException {
            try {
                return DirFd.openat2(lower, path.isEmpty() ? "." : path.substring(1), DirFd.O_PATH | DirFd.O_DIRECTORY, 0, NO_LINKS);
            } catch (SysException e) {
                if (e.errno() == 2 || e.errno() == DirFd.ENOTDIR || e.errno() == DirFd.ELOOP) return -1;
                throw e;
            }
        }
    }
}
