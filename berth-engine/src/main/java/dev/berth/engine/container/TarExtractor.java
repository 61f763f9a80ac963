package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.image.Compression;
import dev.berth.image.TarStreamTap;
import dev.berth.sys.DirFd;
import dev.berth.sys.Libc;
import dev.berth.sys.SysException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a tar into a directory of a container's root, for {@code PUT /containers/{id}/archive}.
 *
 * <p>Refused (InvalidArgument): absolute entry names, names with a {@code ..} component, hard links whose target
 * is absolute or climbs out, symlinks whose relative target climbs out of the extraction directory (moby's
 * breakout check: absolute targets are fine, they are resolved inside the container). Each entry's parent is
 * resolved with openat2(RESOLVE_IN_ROOT) from the container's root, so a symlink in the container (or one an earlier
 * entry made) is followed inside the root and never to the host; the entry itself is created with an
 * {@code *at()} call that does not follow a final symlink, and its owner, mode and times are set through its own
 * descriptor, or with AT_SYMLINK_NOFOLLOW.
 *
 * <p>Extended attributes ({@code SCHILY.xattr.*} records, file capabilities among them) are set on what they name,
 * their values as the raw bytes of the stream, after the owner (chown clears a capability); one the file system or
 * the kernel refuses (EOPNOTSUPP, EPERM) is skipped, overlayfs's own ({@code trusted.overlay.*}) never set.
 *
 * <p>As in Docker, an existing entry is replaced unless both are directories, and a failure midway leaves what was
 * extracted so far.
 */
final class TarExtractor {
    private static final long NO_LINKS = DirFd.RESOLVE_BENEATH | DirFd.RESOLVE_NO_SYMLINKS | DirFd.RESOLVE_NO_MAGICLINKS;

    private final int root;
    private final String targetPath;
    private final boolean noOverwriteDirNonDir;
    private final int uid, gid;
    private final Map<String, Integer> parents = new HashMap<>();
    private final List<TarArchiveEntry> directories = new ArrayList<>();

    /**
     * @param root   O_PATH descriptor of the container's root
     * @param target O_PATH descriptor of the extraction directory inside it
     * @param uid    owner for every entry, or -1 for the ids in the tar (likewise {@code gid})
     */
    TarExtractor(int root, int target, boolean noOverwriteDirNonDir, int uid, int gid) throws IOException {
        this.root = root;
        String rootPath = Files.readSymbolicLink(DirFd.procPath(root)).toString();
        String t = Files.readSymbolicLink(DirFd.procPath(target)).toString();
        this.targetPath = t.equals(rootPath) ? "/" : t.startsWith(rootPath + "/") ? t.substring(rootPath.length()) : null;
        if (targetPath == null) throw EngineException.failure("extraction directory is outside the container's root");
        this.noOverwriteDirNonDir = noOverwriteDirNonDir;
        this.uid = uid;
        this.gid = gid;
    }

    void extract(InputStream in) throws IOException {
        var xattrs = new TarStreamTap.Xattrs(Compression.decompressing(in)); // plain, gzip, xz... as dockerd takes
        try (var tar = new TarArchiveInputStream(xattrs)) {
            TarArchiveEntry e;
            while ((e = nextEntry(tar)) != null) {
                List<String> parts = clean(e.getName());
                if (parts.isEmpty()) continue; // "./": the extraction directory itself
                entry(tar, e, parts, xattrs.current());
            }
            // Directory times last: creating entries inside a directory changes its mtime.
            for (int i = directories.size() - 1; i >= 0; i--) {
                var d = directories.get(i);
                List<String> parts = clean(d.getName());
                int parent = parent(parts);
                DirFd.setTimes(parent, parts.getLast(), d.getModTime().getTime() / 1000, 0);
            }
        } finally {
            parents.values().forEach(DirFd::close);
        }
    }

    /** A read of an entry's content; a truncated or corrupt archive is the client's error, not the daemon's. */
    private static int readArchive(TarArchiveInputStream tar, byte[] buffer) {
        try {
            return tar.read(buffer);
        } catch (IOException e) {
            throw EngineException.invalid("invalid tar archive: %s", e.getMessage());
        }
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            throw EngineException.invalid("invalid tar archive: %s", e.getMessage());
        }
    }

    private void entry(TarArchiveInputStream tar, TarArchiveEntry e, List<String> parts, Map<String, byte[]> xattrs)
            throws IOException {
        String name = parts.getLast();
        int dir = parent(parts);
        DirFd.Stat existing = DirFd.statIfExists(dir, name);
        if (existing != null) {
            if (noOverwriteDirNonDir && existing.isDirectory() && !e.isDirectory()) {
                throw EngineException.invalid("cannot overwrite directory \"%s\" with non-directory \"%s\"",
                        join(parts), e.getName());
            }
            if (noOverwriteDirNonDir && !existing.isDirectory() && e.isDirectory()) {
                throw EngineException.invalid("cannot overwrite non-directory \"%s\" with directory \"%s\"",
                        join(parts), e.getName());
            }
            if (!(existing.isDirectory() && e.isDirectory())) removeTree(dir, name);
        }
        int owner = uid >= 0 ? uid : (int) e.getLongUserId();
        int group = gid >= 0 ? gid : (int) e.getLongGroupId();
        long mtime = e.getModTime().getTime() / 1000;
        if (e.isDirectory()) {
            if (existing == null || !existing.isDirectory()) DirFd.mkdir(dir, name, 0700);
            int fd = DirFd.openat2(dir, name, DirFd.O_RDONLY | DirFd.O_DIRECTORY | DirFd.O_NOFOLLOW, 0, NO_LINKS);
            try {
                DirFd.chown(fd, "", owner, group);
                DirFd.chmod(fd, e.getMode());
                setXattrs(fd, xattrs);
            } finally {
                DirFd.close(fd);
            }
            directories.add(e);
        } else if (e.isSymbolicLink()) {
            checkSymlink(parts, e.getLinkName(), e.getName());
            DirFd.symlink(e.getLinkName(), dir, name);
            DirFd.chown(dir, name, owner, group);
            setXattrs(dir, name, xattrs);
            DirFd.setTimes(dir, name, mtime, 0);
        } else if (e.isLink()) {
            List<String> old = clean(e.getLinkName());
            if (old.isEmpty() || e.getLinkName().startsWith("/")) {
                throw EngineException.invalid("invalid hard link target in tar entry %s: %s", e.getName(), e.getLinkName());
            }
            DirFd.link(parent(old), old.getLast(), dir, name);
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            int type = e.isCharacterDevice() ? DirFd.S_IFCHR : e.isBlockDevice() ? DirFd.S_IFBLK : DirFd.S_IFIFO;
            DirFd.mknod(dir, name, type | (e.getMode() & 0777), e.getDevMajor(), e.getDevMinor());
            DirFd.chown(dir, name, owner, group);
            setXattrs(dir, name, xattrs);
            DirFd.setTimes(dir, name, mtime, 0);
        } else if (e.isFile()) {
            int fd = DirFd.openat2(dir, name, DirFd.O_WRONLY | DirFd.O_CREAT | DirFd.O_EXCL | DirFd.O_NOFOLLOW, 0600, NO_LINKS);
            try {
                try (OutputStream out = Files.newOutputStream(DirFd.procPath(fd))) {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = readArchive(tar, buffer)) > 0) out.write(buffer, 0, n);
                }
                DirFd.chown(fd, "", owner, group);
                DirFd.chmod(fd, e.getMode()); // after chown, which clears setuid and setgid
                setXattrs(fd, xattrs); // after chown, which clears a capability
                DirFd.setTimes(fd, "", mtime, 0);
            } finally {
                DirFd.close(fd);
            }
        } else {
            throw EngineException.invalid("unhandled tar entry type %s for %s", (char) e.getLinkFlag(), e.getName());
        }
    }

    /** Sets the attributes on {@code name} in {@code dir} itself, never on what a symlink there points to. */
    private static void setXattrs(int dir, String name, Map<String, byte[]> xattrs) throws IOException {
        if (xattrs.isEmpty()) return;
        int fd = DirFd.openat2(dir, name, DirFd.O_PATH | DirFd.O_NOFOLLOW, 0, NO_LINKS);
        try {
            setXattrs(fd, xattrs);
        } finally {
            DirFd.close(fd);
        }
    }

    private static void setXattrs(int fd, Map<String, byte[]> xattrs) throws SysException {
        for (var x : xattrs.entrySet()) {
            if (x.getKey().startsWith(TarStreamTap.OVERLAY_XATTR_PREFIX)) continue;
            try {
                DirFd.setxattr(fd, x.getKey(), x.getValue());
            } catch (SysException ex) {
                if (ex.errno() != DirFd.EOPNOTSUPP && ex.errno() != Libc.EPERM) throw ex;
            }
        }
    }

    /** The open directory holding {@code parts}' last component, resolved inside the container's root. */
    private int parent(List<String> parts) throws IOException {
        String rel = String.join("/", parts.subList(0, parts.size() - 1));
        Integer cached = parents.get(rel);
        if (cached != null) return cached;
        String path = (targetPath.equals("/") ? "" : targetPath) + "/" + rel;
        int fd;
        try {
            fd = DirFd.openat2(root, path, DirFd.O_PATH | DirFd.O_DIRECTORY, 0, ContainerArchive.IN_ROOT);
        } catch (SysException e) {
            throw EngineException.invalid("cannot extract into %s: %s", path, e.getMessage());
        }
        parents.put(rel, fd);
        return fd;
    }

    /** Removes a file or a whole directory tree, never following a symlink. */
    private static void removeTree(int dir, String name) throws IOException {
        DirFd.Stat st = DirFd.statIfExists(dir, name);
        if (st == null) return;
        if (st.isDirectory()) {
            int fd = DirFd.openat2(dir, name, DirFd.O_PATH | DirFd.O_DIRECTORY | DirFd.O_NOFOLLOW, 0, NO_LINKS);
            try {
                for (String child : TreeTar.list(fd)) removeTree(fd, child);
            } finally {
                DirFd.close(fd);
            }
        }
        DirFd.unlink(dir, name, st.isDirectory());
    }

    /** Moby's breakout check: a relative target must stay inside the extraction directory. */
    private static void checkSymlink(List<String> parts, String link, String entryName) {
        if (link.startsWith("/")) return;
        int depth = parts.size() - 1;
        for (String c : link.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            depth += c.equals("..") ? -1 : 1;
            if (depth < 0) {
                throw EngineException.invalid("invalid symlink %s -> %s: it points outside the extraction directory",
                        entryName, link);
            }
        }
    }

    /** An entry name's components; refused if absolute or if a component is "..". */
    static List<String> clean(String name) {
        if (name.startsWith("/")) throw EngineException.invalid("refusing tar entry with an absolute name: %s", name);
        var out = new ArrayList<String>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) throw EngineException.invalid("refusing tar entry that climbs out with '..': %s", name);
            out.add(c);
        }
        return out;
    }

    private static String join(List<String> parts) {
        return String.join("/", parts);
    }
}
