package dev.berth.engine.container;

import dev.berth.sys.DirFd;
import dev.berth.sys.Libc;
import dev.berth.sys.SysException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.berth.image.TarWriter;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a file tree the container may be changing as a tar, reaching every file through directory descriptors
 * ({@link DirFd}): a directory is entered with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), a file opened as
 * O_PATH | O_NOFOLLOW and checked to be a regular file before it is read through its descriptor. A name the container
 * swaps for a symlink between the listing and the open is skipped, never followed.
 *
 * <p>Entries: directories, regular files (hard links after the first name of an inode), symlinks, character and
 * block devices, fifos; sockets are left out, as Docker does. Long names and big numbers as PAX records. A file that
 * shrinks while it is read is padded with zeros up to the size in its header; one that grows is cut there.
 *
 * <p>Extended attributes: a regular file's capability ({@code security.capability}) is kept, as a PAX
 * {@code SCHILY.xattr} record of its raw bytes, as Docker keeps it; other attributes ({@code user.*}, overlayfs's
 * {@code trusted.overlay.*}, SELinux labels) are left out, as Docker leaves them out.
 */
final class TreeTar {
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE_WHITEOUT = ".wh..wh..opq";
    private static final long BENEATH = DirFd.RESOLVE_BENEATH | DirFd.RESOLVE_NO_SYMLINKS | DirFd.RESOLVE_NO_MAGICLINKS;

    private static final String CAPABILITY_XATTR = "security.capability";
    private static final int VFS_CAP_REVISION_OFFSET = 3, VFS_CAP_REVISION_2 = 2, VFS_CAP_REVISION_3 = 3, VFS_CAP_SIZE_2 = 20;

    private final TarWriter tar;
    private final boolean overlayLayer;
    private final Map<String, String> inodes = new HashMap<>();
    private Map<String, Path> mounts = Map.of();
    private final byte[] buffer = new byte[64 * 1024];

    TreeTar(OutputStream out) {
        this(out, false);
    }

    /**
     * @param overlayLayer the tree is an overlay upper directory to be written as an image layer: whiteouts (0:0
     *                     character devices) become {@code .wh.<name>} entries, an opaque directory gets a
     *                     {@code .wh..wh..opq} entry, and the runtime's mount points ({@link ContainerChanges#INIT_PATHS})
     *                     are left out
     */
    TreeTar(OutputStream out, boolean overlayLayer) {
        this.overlayLayer = overlayLayer;
        this.tar = new TarWriter(out);
    }

    /**
     * Serves these tar names (no trailing slash) from host paths instead of the tree: the mounts a container sees
     * there (volumes, binds, the engine's {@code /etc} files), which the tree walked from the host hides.
     */
    TreeTar withMounts(Map<String, Path> byTarName) {
        this.mounts = Map.copyOf(byTarName);
        return this;
    }

    /**
     * Adds {@code name} in the directory {@code dirfd} (and, for a directory, everything below it) under the tar name
     * {@code tarName}; "." names {@code dirfd} itself. A missing name is skipped.
     */
    void add(int dirfd, String name, String tarName) throws IOException {
        Path mounted = mounts.isEmpty() ? null : mounts.get(tarName.length() > 1 ? tarName.replaceAll("/+$", "") : tarName);
        if (mounted != null && addMounted(mounted, tarName)) return;
        addEntry(dirfd, name, tarName);
    }

    /** Adds the mount's source under {@code tarName}; false if the source is gone (the tree's entry goes instead). */
    private boolean addMounted(Path source, String tarName) throws IOException {
        Path real;
        try {
            real = source.toRealPath();
        } catch (NoSuchFileException e) {
            return false;
        }
        Path parent = real.getParent();
        int fd = DirFd.open(parent == null ? "/" : parent.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
        try {
            addEntry(fd, parent == null ? "." : real.getFileName().toString(), tarName);
        } finally {
            DirFd.close(fd);
        }
        return true;
    }

    private void addEntry(int dirfd, String name, String tarName) throws IOException {
        if (overlayLayer && ContainerChanges.INIT_PATHS.contains("/" + tarName.replaceAll("/+$", ""))) return;
        DirFd.Stat st = DirFd.statIfExists(dirfd, name);
        if (st == null) return;
        if (overlayLayer && st.type() == DirFd.S_IFCHR && st.rdevMajor() == 0 && st.rdevMinor() == 0) {
            int slash = tarName.lastIndexOf('/');
            var e = entry(tarName.substring(0, slash + 1) + WHITEOUT_PREFIX + tarName.substring(slash + 1),
                    TarConstants.LF_NORMAL, st);
            put(e);
            return;
        }
        switch (st.type()) {
            case DirFd.S_IFDIR -> addDirectory(dirfd, name, tarName);
            case DirFd.S_IFREG -> addFile(dirfd, name, tarName);
            case DirFd.S_IFLNK -> {
                String target = readlinkIfStill(dirfd, name);
                if (target == null) return;
                var e = entry(tarName, TarConstants.LF_SYMLINK, st);
                e.setLinkName(target);
                put(e);
            }
            case DirFd.S_IFCHR, DirFd.S_IFBLK, DirFd.S_IFIFO -> {
                byte type = st.type() == DirFd.S_IFCHR ? TarConstants.LF_CHR
                        : st.type() == DirFd.S_IFBLK ? TarConstants.LF_BLK : TarConstants.LF_FIFO;
                var e = entry(tarName, type, st);
                if (type != TarConstants.LF_FIFO) {
                    e.setDevMajor(st.rdevMajor());
                    e.setDevMinor(st.rdevMinor());
                }
                put(e);
            }
            default -> { } // sockets
        }
    }

    /**
     * The target of the symlink {@code name}, or null if it went since it was seen (ENOENT) or is no symlink any more
     * (EINVAL): a tree the container changes meanwhile is no reason to abort the whole walk.
     */
    static String readlinkIfStill(int dirfd, String name) throws SysException {
        try {
            return DirFd.readlink(dirfd, name);
        } catch (SysException e) {
            if (e.errno() == Libc.ENOENT || e.errno() == Libc.EINVAL) return null;
            throw e;
        }
    }

    /** Adds the children of the directory {@code dirfd} (not the directory itself), each under {@code prefix + name}. */
    void addChildren(int dirfd, String prefix) throws IOException {
        for (String child : list(dirfd)) add(dirfd, child, prefix + child);
    }

    /** Writes the two end-of-archive blocks; the caller closes the underlying stream. */
    void finish() throws IOException {
        tar.finish();
    }

    private void addDirectory(int dirfd, String name, String tarName) throws IOException {
        int fd;
        try {
            fd = DirFd.openat2(dirfd, name, DirFd.O_RDONLY | DirFd.O_DIRECTORY | DirFd.O_NOFOLLOW, 0, BENEATH);
        } catch (SysException e) {
            if (e.errno() == DirFd.ELOOP || e.errno() == DirFd.ENOTDIR || e.errno() == Libc.ENOENT) return; // swapped or gone
            throw e;
        }
        try {
            String prefix = tarName.endsWith("/") ? tarName : tarName + "/";
            List<String> children = list(fd);
            boolean opaque = false;
            if (overlayLayer) {
                byte[] x = DirFd.getxattr(fd, "trusted.overlay.opaque");
                opaque = x != null && x.length == 1 && x[0] == 'y';
                if (ContainerChanges.onlyInitMountPoints("/" + prefix, children, opaque)) return;
            }
            put(entry(prefix, TarConstants.LF_DIR, DirFd.stat(fd, "")));
            if (opaque) put(entry(prefix + OPAQUE_WHITEOUT, TarConstants.LF_NORMAL, DirFd.stat(fd, "")));
            for (String child : children) add(fd, child, prefix + child);
        } finally {
            DirFd.close(fd);
        }
    }

    private void addFile(int dirfd, String name, String tarName) throws IOException {
        int fd;
        try {
            fd = DirFd.openat2(dirfd, name, DirFd.O_PATH | DirFd.O_NOFOLLOW, 0, BENEATH);
        } catch (SysException e) {
            if (e.errno() == Libc.ENOENT) return; // gone since the listing
            throw e;
        }
        try {
            DirFd.Stat st = DirFd.stat(fd, "");
            if (!st.isRegular()) return; // swapped for something else since the listing
            if (st.nlink() > 1) {
                String key = st.devMajor() + ":" + st.devMinor() + ":" + st.ino();
                String first = inodes.putIfAbsent(key, tarName);
                if (first != null) {
                    var e = entry(tarName, TarConstants.LF_LINK, st);
                    e.setLinkName(first);
                    put(e);
                    return;
                }
            }
            var e = entry(tarName, TarConstants.LF_NORMAL, st);
            e.setSize(st.size());
            byte[] capability = capability(fd);
            tar.putEntry(e, capability == null ? Map.of() : Map.of(CAPABILITY_XATTR, capability));
            long left = st.size();
            try (InputStream in = Files.newInputStream(DirFd.procPath(fd))) {
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) break;
                    tar.write(buffer, 0, n);
                    left -= n;
                }
            }
            java.util.Arrays.fill(buffer, (byte) 0);
            while (left > 0) {
                int n = (int) Math.min(buffer.length, left);
                tar.write(buffer, 0, n);
                left -= n;
            }
            tar.closeEntry();
        } finally {
            DirFd.close(fd);
        }
    }

    /**
     * The file's capability as Docker archives it: a revision 3 one (with the root uid of a user namespace) becomes
     * revision 2, since that uid means nothing outside the namespace the archive is made in.
     */
    private static byte[] capability(int fd) throws IOException {
        byte[] cap = DirFd.getxattr(fd, CAPABILITY_XATTR);
        if (cap != null && cap.length > VFS_CAP_SIZE_2 && cap[VFS_CAP_REVISION_OFFSET] == VFS_CAP_REVISION_3) {
            cap = java.util.Arrays.copyOf(cap, VFS_CAP_SIZE_2);
            cap[VFS_CAP_REVISION_OFFSET] = VFS_CAP_REVISION_2;
        }
        return cap;
    }

    private void put(TarArchiveEntry e) throws IOException {
        tar.putEntry(e);
        tar.closeEntry();
    }

    private static TarArchiveEntry entry(String name, byte type, DirFd.Stat st) {
        var e = new TarArchiveEntry(name, type, true); // keep a leading "/" (the entries of a copy of /)
        e.setMode(st.permissions());
        e.setUserId(Integer.toUnsignedLong(st.uid()));
        e.setGroupId(Integer.toUnsignedLong(st.gid()));
        e.setModTime(new Date(st.mtimeSeconds() * 1000));
        return e;
    }

    /** The names in a directory, sorted, read through its descriptor. */
    static List<String> list(int dirfd) throws IOException {
        try (Stream<Path> s = Files.list(DirFd.procPath(dirfd))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
