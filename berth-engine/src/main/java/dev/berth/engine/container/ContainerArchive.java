package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.oci.UserResolver;
import dev.berth.sys.DirFd;
import dev.berth.sys.SysException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Instant;

/**
 * Docker's container archive endpoints (what {@code docker cp} uses): stat a path, read it as a tar, extract a tar
 * into a directory. Paths are the container's, resolved by the kernel inside the container's root
 * ({@link ContainerRoots}, {@link DirFd}): a symlink to {@code /} or {@code ../..}, even one the container swaps in
 * while the copy runs, can neither read nor write the host.
 *
 * <p>Path rules, as in moby's {@code container.ResolvePath}: every component but the last follows symlinks (inside
 * the root); the last is taken as it is, so a symlink is reported and archived as a symlink. A path ending in
 * {@code /.} means a directory's contents: its tar entries are rooted at {@code .}; otherwise at the path's base name.
 */
public final class ContainerArchive {
    static final long IN_ROOT = DirFd.RESOLVE_IN_ROOT | DirFd.RESOLVE_NO_MAGICLINKS;

    private final ContainerRoots roots;

    public ContainerArchive(ContainerRoots roots) {
        this.roots = roots;
    }

    /**
     * Docker's {@code ContainerPathStat}. {@code mode} is Go's {@code os.FileMode} (type in the high bits), as the
     * clients decode it; {@code linkTarget} is the symlink's target resolved in the container, or "".
     */
    public record PathStat(String name, long size, long mode, Instant mtime, String linkTarget) {}

    /** Where the tar of {@link #read} goes, once the path has been found (so that a 404 comes before any byte). */
    @FunctionalInterface
    public interface TarSink {
        OutputStream open(PathStat stat) throws IOException;
    }

    public PathStat stat(String idOrName, String path) {
        return roots.withRoot(idOrName, (c, root) -> {
            var p = Resolved.of(root, path, idOrName);
            try {
                return p.stat(root);
            } finally {
                p.close();
            }
        });
    }

    /** Stats {@code path}, asks {@code sink} for the output, and writes the tar of the path to it. */
    public void read(String idOrName, String path, TarSink sink) {
        roots.withRoot(idOrName, (c, root) -> {
            var p = Resolved.of(root, path, idOrName);
            try {
                PathStat stat = p.stat(root);
                try (OutputStream out = sink.open(stat)) {
                    var tar = new TreeTar(out);
                    // The root's entries are named "/bin", "/etc/passwd" as moby names them; clients rebase by prefix.
                    tar.add(p.dirFd, p.base, p.tarRoot);
                    tar.finish();
                }
                return null;
            } finally {
                p.close();
            }
        });
    }

    /** Where an export goes, opened once the container has been found. */
    @FunctionalInterface
    public interface Output {
        OutputStream open() throws IOException;
    }

    /** Docker's export: the container's whole filesystem as its processes see it (volumes aside), streamed. */
    public void export(String idOrName, Output output) {
        roots.withRoot(idOrName, (c, root) -> {
            try (OutputStream out = output.open()) {
                var tar = new TreeTar(out);
                tar.addChildren(root, "");
                tar.finish();
            }
            return null;
        });
    }

    /**
     * Extracts {@code tar} into the directory {@code path} (followed, even its last component, inside the root).
     *
     * @param noOverwriteDirNonDir refuse to replace a directory with a non-directory or the other way round
     * @param copyUidGid           own the files by the container's user instead of the ids in the tar
     */
    public void extract(String idOrName, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        roots.withRoot(idOrName, (c, root) -> {
            if (c.spec().host().readonlyRootfs()) {
                throw new EngineException.Forbidden("container rootfs is marked read-only");
            }
            String abs = "/" + path;
            int target;
            try {
                target = DirFd.openat2(root, abs, DirFd.O_PATH, 0, IN_ROOT);
            } catch (SysException e) {
                if (e.errno() == 2 || e.errno() == DirFd.ENOTDIR) throw ContainerRoots.notFound(path, idOrName);
                throw e;
            }
            try {
                if (!DirFd.stat(target, "").isDirectory()) throw EngineException.invalid("extraction point is not a directory");
                UserResolver.ResolvedUser owner = copyUidGid
                        ? UserResolver.resolve(DirFd.procPath(root), c.config().user()) : null;
                new TarExtractor(root, target, noOverwriteDirNonDir,
                        owner == null ? -1 : (int) owner.uid(), owner == null ? -1 : (int) owner.gid()).extract(tar);
            } finally {
                DirFd.close(target);
            }
            return null;
        });
    }

    /** A container path split as moby splits it: the directory (resolved, open) and the last component. */
    private static final class Resolved implements AutoCloseable {
        final String absPath;
        final int dirFd;
        final String base;
        /** The name of the top tar entry: the base name, "./" for a directory's contents, "/" for the root. */
        final String tarRoot;

        private Resolved(String absPath, int dirFd, String base, String tarRoot) {
            this.absPath = absPath;
            this.dirFd = dirFd;
            this.base = base;
            this.tarRoot = tarRoot;
        }

        static Resolved of(int root, String path, String container) throws IOException {
            if (path == null || path.isEmpty()) throw EngineException.invalid("path cannot be empty");
            String abs = path.startsWith("/") ? path : "/" + path;
            int slash = abs.lastIndexOf('/');
            String dir = abs.substring(0, slash + 1);
            String base = abs.substring(slash + 1);
            String tarRoot = base;
            if (abs.matches("/+")) {
                base = ".";
                tarRoot = "/";
            } else if (base.isEmpty()) {
                // "/etc/" or "/link-to-dir/": the directory itself, every component followed (moby resolves the
                // whole path as the directory part); entries named after the path's last name.
                dir = abs;
                base = ".";
                tarRoot = lastName(abs);
            } else if (base.equals(".")) {
                tarRoot = "./";
            }
            int fd;
            try {
                fd = DirFd.openat2(root, dir, DirFd.O_PATH | DirFd.O_DIRECTORY, 0, IN_ROOT);
            } catch (SysException e) {
                if (e.errno() == DirFd.ENOTDIR && abs.endsWith("/")) throw EngineException.invalid("not a directory: %s", path);
                if (e.errno() == 2 || e.errno() == DirFd.ENOTDIR) throw ContainerRoots.notFound(path, container);
                throw e;
            }
            var r = new Resolved(abs, fd, base, tarRoot);
            try {
                if (base.equals("..") || DirFd.statIfExists(fd, base) == null) throw ContainerRoots.notFound(path, container);
            } catch (IOException | RuntimeException e) {
                r.close();
                throw e;
            }
            return r;
        }

        PathStat stat(int root) throws IOException {
            DirFd.Stat st = DirFd.stat(dirFd, base);
            String linkTarget = "";
            if (st.isSymlink()) linkTarget = linkTarget(root);
            String name = absPath.equals("/") ? "/" : lastName(absPath);
            return new PathStat(name, st.size(), goMode(st), Instant.ofEpochSecond(st.mtimeSeconds(), st.mtimeNanos()),
                    linkTarget);
        }

        /** The symlink's target followed to the end inside the root, as a container path (moby's GetResourcePath). */
        private String linkTarget(int root) throws IOException {
            String rootPath = Files.readSymbolicLink(DirFd.procPath(root)).toString();
            int fd = -1;
            // Resolve from the root with the whole path, so "/" and ".." in the link mean the container's.
            String dirPath = Files.readSymbolicLink(DirFd.procPath(dirFd)).toString();
            String inContainer = dirPath.startsWith(rootPath) ? dirPath.substring(rootPath.length()) : "";
            String full = inContainer + "/" + base;
            try {
                fd = DirFd.openat2(root, full, DirFd.O_PATH, 0, IN_ROOT);
                String target = Files.readSymbolicLink(DirFd.procPath(fd)).toString();
                if (target.equals(rootPath)) return "/";
                if (target.startsWith(rootPath + "/")) return target.substring(rootPath.length());
            } catch (SysException e) {
                // dangling: moby reports the link's text made absolute against its directory
            } finally {
                DirFd.close(fd);
            }
            String link = DirFd.readlink(dirFd, base);
            String joined = link.startsWith("/") ? link : (inContainer.isEmpty() ? "" : inContainer) + "/" + link;
            return java.nio.file.Path.of(joined).normalize().toString();
        }

        @Override
        public void close() {
            DirFd.close(dirFd);
        }
    }

    private static String lastName(String abs) {
        String trimmed = abs.replaceAll("/+$", "");
        if (trimmed.isEmpty()) return "/";
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** Go's os.FileMode bits for a unix st_mode. */
    static long goMode(DirFd.Stat st) {
        long m = st.mode() & 0777;
        if ((st.mode() & 04000) != 0) m |= 1L << 23;
        if ((st.mode() & 02000) != 0) m |= 1L << 22;
        if ((st.mode() & 01000) != 0) m |= 1L << 20;
        m |= switch (st.type()) {
            case DirFd.S_IFDIR -> 1L << 31;
            case DirFd.S_IFLNK -> 1L << 27;
            case DirFd.S_IFBLK -> 1L << 26;
            case DirFd.S_IFCHR -> (1L << 26) | (1L << 21);
            case DirFd.S_IFIFO -> 1L << 25;
            case DirFd.S_IFSOCK -> 1L << 24;
            default -> 0L;
        };
        return m;
    }
}
