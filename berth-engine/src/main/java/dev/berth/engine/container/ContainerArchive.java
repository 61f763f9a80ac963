package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.engine.volume.MountPoint;
import dev.berth.image.Compression;
import dev.berth.oci.UserResolver;
import dev.berth.sys.DirFd;
import dev.berth.sys.SysException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Docker's container archive endpoints (what {@code docker cp} uses): stat a path, read it as a tar, extract a tar
 * into a directory. Paths are the container's, resolved by the kernel inside the container's root
 * ({@link ContainerRoots}, {@link DirFd}): a symlink to {@code /} or {@code ../..}, even one the container swaps in
 * while the copy runs, can neither read nor write the host.
 *
 * <p>Mounts: a path at or below a bind or volume of the container ({@link ContainerMounts#under}, matched lexically
 * as dockerd does) is served from the mount's source, resolved in the same way inside that source; the
 * {@code /etc/hostname}, {@code /etc/hosts} and {@code /etc/resolv.conf} the daemon writes and bind-mounts are served
 * from those files once written. A tmpfs mount is out of reach (400), and so is an extraction whose entries would
 * land on a mount below the target directory (400 naming the mount): nothing is ever written underneath a mount,
 * where the container would not see it. A directory read whole shows what is mounted below it, as the container
 * sees it (tmpfs mounts aside: their content lives only in the running container).
 *
 * <p>Path rules, as in moby's {@code container.ResolvePath}: every component but the last follows symlinks (inside
 * the root); the last is taken as it is, so a symlink is reported and archived as a symlink. A path ending in
 * {@code /.} means a directory's contents: its tar entries are rooted at {@code .}; otherwise at the path's base name.
 */
public final class ContainerArchive {
    static final long IN_ROOT = DirFd.RESOLVE_IN_ROOT | DirFd.RESOLVE_NO_MAGICLINKS;

    /** The files the daemon writes for a container and bind-mounts there: container path to name in its directory. */
    private static final Map<String, String> RUNTIME_FILES =
            Map.of("/etc/hostname", "hostname", "/etc/hosts", "hosts", "/etc/resolv.conf", "resolv.conf");

    private final ContainerRoots roots;
    private volatile ContainerMounts mounts;
    /** The containers' directories ({@link ContainerStore}'s root), where the runtime files are written. */
    private volatile Path containerDirs;

    public ContainerArchive(ContainerRoots roots) {
        this.roots = roots;
    }

    /** Serves paths under the containers' mounts and runtime files from where the container sees them. */
    public ContainerArchive withMounts(ContainerMounts m, Path containerDirs) {
        this.mounts = m;
        this.containerDirs = containerDirs;
        return this;
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
            var p = resolve(c, root, path, idOrName);
            try {
                return p.stat();
            } finally {
                p.close();
            }
        });
    }

    /** Stats {@code path}, asks {@code sink} for the output, and writes the tar of the path to it. */
    public void read(String idOrName, String path, TarSink sink) {
        roots.withRoot(idOrName, (c, root) -> {
            var p = resolve(c, root, path, idOrName);
            try {
                PathStat stat = p.stat();
                var mounted = new HashMap<String, Path>();
                sourcesBelow(c, "/" + path).forEach((dest, source) -> mounted.put(p.tarName(dest), source));
                try (OutputStream out = sink.open(stat)) {
                    var tar = new TreeTar(out).withMounts(mounted);
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
            String abs = "/" + path;
            Served served = served(c, abs);
            // dockerd: a path in a volume may be written on a read-only rootfs, a read-only volume never
            if (served == null && c.spec().host().readonlyRootfs()) {
                throw new EngineException.Forbidden("container rootfs is marked read-only");
            }
            if (served != null && served.mount() != null && !served.mount().rw()) {
                throw EngineException.invalid("mounted volume is marked read-only");
            }
            int base = served == null ? root : served.open(path, idOrName);
            int target = -1;
            Path spooled = null;
            try {
                try {
                    target = DirFd.openat2(base, served == null ? abs : served.inner(), DirFd.O_PATH, 0, IN_ROOT);
                } catch (SysException e) {
                    if (e.errno() == 2 || e.errno() == DirFd.ENOTDIR) throw ContainerRoots.notFound(path, idOrName);
                    throw e;
                }
                if (!DirFd.stat(target, "").isDirectory()) throw EngineException.invalid("extraction point is not a directory");
                UserResolver.ResolvedUser owner = copyUidGid
                        ? UserResolver.resolve(DirFd.procPath(root), c.config().user()) : null;
                InputStream in = tar;
                List<String> below = mountsBelow(c, abs);
                if (!below.isEmpty()) {
                    spooled = Files.createTempFile("berth-cp-", ".tar");
                    Files.copy(tar, spooled, StandardCopyOption.REPLACE_EXISTING);
                    refuseEntriesOnMounts(spooled, clean(abs), below);
                    in = Files.newInputStream(spooled);
                }
                try {
                    new TarExtractor(base, target, noOverwriteDirNonDir,
                            owner == null ? -1 : (int) owner.uid(), owner == null ? -1 : (int) owner.gid()).extract(in);
                } finally {
                    if (in != tar) in.close();
                }
            } finally {
                DirFd.close(target);
                if (base != root) DirFd.close(base);
                if (spooled != null) Files.deleteIfExists(spooled);
            }
            return null;
        });
    }

    /**
     * Where a container path is served from when a mount or a runtime file covers it: {@code source} is the
     * directory resolved as the root ({@code inner} inside it), {@code prefix} the container path of that root.
     */
    private record Served(Path source, String inner, String prefix, MountPoint mount) {
        /** An O_PATH descriptor of {@link #source}. */
        int open(String path, String container) throws IOException {
            try {
                return DirFd.open(source.toString(), DirFd.O_PATH | DirFd.O_DIRECTORY);
            } catch (SysException e) {
                if (e.errno() == 2 || e.errno() == DirFd.ENOTDIR) throw ContainerRoots.notFound(path, container);
                throw e;
            }
        }
    }

    /** Where {@code abs} is served from, or null for the container's root filesystem. */
    private Served served(Container c, String abs) {
        ContainerMounts m = mounts;
        if (m == null) return null;
        String clean = clean(abs);
        String suffix = abs.endsWith("/.") ? "/." : abs.endsWith("/") && !clean.equals("/") ? "/" : "";
        String file = RUNTIME_FILES.get(clean);
        Path dirs = containerDirs;
        if (file != null && dirs != null && Files.isRegularFile(dirs.resolve(c.id()).resolve(file))) {
            return new Served(dirs.resolve(c.id()), "/" + file + suffix, "/etc", null);
        }
        var under = m.under(c.id(), clean).orElse(null);
        if (under == null) return null;
        String destination = clean.substring(0, clean.length() - under.rest().length());
        if (under.source() == null) {
            throw EngineException.invalid("%s is on the container's tmpfs mount %s, which cp cannot reach", clean, destination);
        }
        String inner = under.rest().isEmpty() ? (suffix.equals("/.") ? "/." : "/") : under.rest() + suffix;
        if (!Files.isDirectory(under.source())) {
            // a file bind-mounted there: its directory as the root, that file the only path served in it
            Path dir = under.source().toAbsolutePath().getParent();
            String name = "/" + under.source().getFileName();
            return new Served(dir, under.rest().isEmpty() ? name + suffix : name + under.rest(),
                    destination.substring(0, destination.lastIndexOf('/')), under.mount());
        }
        return new Served(under.source(), inner, destination, under.mount());
    }

    /** The container's mounts and written runtime files strictly below the directory {@code abs}. */
    private List<String> mountsBelow(Container c, String abs) {
        ContainerMounts m = mounts;
        if (m == null) return List.of();
        String clean = clean(abs);
        var out = new ArrayList<>(m.below(c.id(), clean));
        String prefix = clean.equals("/") ? "/" : clean + "/";
        Path dirs = containerDirs;
        RUNTIME_FILES.forEach((path, file) -> {
            if (path.startsWith(prefix) && dirs != null && Files.isRegularFile(dirs.resolve(c.id()).resolve(file))) out.add(path);
        });
        return out;
    }

    /**
     * The host files and directories mounted strictly below the container directory {@code abs}, by container path:
     * mount sources and the written runtime files (tmpfs mounts, out of reach, left out).
     */
    private Map<String, Path> sourcesBelow(Container c, String abs) {
        var out = new HashMap<String, Path>();
        ContainerMounts m = mounts;
        Path dirs = containerDirs;
        for (String dest : mountsBelow(c, abs)) {
            String file = RUNTIME_FILES.get(dest);
            if (file != null && dirs != null && Files.isRegularFile(dirs.resolve(c.id()).resolve(file))) {
                out.put(dest, dirs.resolve(c.id()).resolve(file));
            } else if (m != null) {
                m.under(c.id(), dest).map(ContainerMounts.Under::source).ifPresent(source -> out.put(dest, source));
            }
        }
        return out;
    }

    /** A 400 naming the mount if an entry of the tar would land on or under one of {@code mounts}. */
    static void refuseEntriesOnMounts(Path tarFile, String target, List<String> mounts) throws IOException {
        try (var tar = new TarArchiveInputStream(Compression.decompressing(Files.newInputStream(tarFile)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String at = clean(target + "/" + e.getName());
                for (String m : mounts) {
                    if (at.equals(m) || at.startsWith(m + "/")) {
                        throw EngineException.invalid("cannot copy %s to %s: %s is a mount of the container; copy to %s instead",
                                e.getName(), target, m, m);
                    }
                }
            }
        } catch (IOException e) {
            // not a tar (or cut short): the extraction reports it, at the same entry
        }
    }

    private static String clean(String abs) {
        String c = java.nio.file.Path.of(abs.startsWith("/") ? abs : "/" + abs).normalize().toString();
        return c.isEmpty() ? "/" : c;
    }

    /** {@code path} resolved in the root filesystem, or in the mount or runtime file that covers it. */
    private Resolved resolve(Container c, int root, String path, String container) throws IOException {
        if (path == null || path.isEmpty()) throw EngineException.invalid("path cannot be empty");
        String abs = path.startsWith("/") ? path : "/" + path;
        Served served = served(c, abs);
        if (served == null) return Resolved.of(root, false, abs, abs, "", container);
        int fd = served.open(path, container);
        try {
            return Resolved.of(fd, true, served.inner(), abs, served.prefix(), container);
        } catch (IOException | RuntimeException e) {
            DirFd.close(fd);
            throw e;
        }
    }

    /** A container path split as moby splits it: the directory (resolved, open) and the last component. */
    private static final class Resolved implements AutoCloseable {
        /** The root it was resolved in: the container's, or a mount's source (then owned, closed with this). */
        final int root;
        final boolean ownsRoot;
        /** The container path as asked, for names. */
        final String absPath;
        /** The container path of {@link #root}: "" for the container's root. */
        final String prefix;
        final int dirFd;
        final String base;
        /** The name of the top tar entry: the base name, "./" for a directory's contents, "/" for the root. */
        final String tarRoot;

        private Resolved(int root, boolean ownsRoot, String absPath, String prefix, int dirFd, String base, String tarRoot) {
            this.root = root;
            this.ownsRoot = ownsRoot;
            this.absPath = absPath;
            this.prefix = prefix;
            this.dirFd = dirFd;
            this.base = base;
            this.tarRoot = tarRoot;
        }

        /**
         * @param inner the path to open inside {@code root}
         * @param shown the container path as asked, which names the stat and the tar's entries
         */
        static Resolved of(int root, boolean ownsRoot, String inner, String shown, String prefix, String container)
                throws IOException {
            int slash = inner.lastIndexOf('/');
            String dir = inner.substring(0, slash + 1);
            String base = inner.substring(slash + 1);
            if (inner.matches("/+")) {
                base = ".";
            } else if (base.isEmpty()) {
                // "/etc/" or "/link-to-dir/": the directory itself, every component followed (moby resolves the
                // whole path as the directory part); entries named after the path's last name.
                dir = inner;
                base = ".";
            }
            int fd;
            try {
                fd = DirFd.openat2(root, dir, DirFd.O_PATH | DirFd.O_DIRECTORY, 0, IN_ROOT);
            } catch (SysException e) {
                if (e.errno() == DirFd.ENOTDIR && inner.endsWith("/")) throw EngineException.invalid("not a directory: %s", shown);
                if (e.errno() == 2 || e.errno() == DirFd.ENOTDIR) throw ContainerRoots.notFound(shown, container);
                throw e;
            }
            try {
                if (base.equals("..") || DirFd.statIfExists(fd, base) == null) throw ContainerRoots.notFound(shown, container);
            } catch (IOException | RuntimeException e) {
                DirFd.close(fd); // the root stays the caller's until this returns
                throw e;
            }
            return new Resolved(root, ownsRoot, shown, prefix, fd, base, tarRoot(shown));
        }

        /** The tar name of the container path {@code below}, strictly below {@link #absPath}. */
        String tarName(String below) {
            String dir = clean(absPath);
            String relative = below.substring(dir.equals("/") ? 1 : dir.length() + 1);
            return tarRoot.endsWith("/") ? tarRoot + relative : tarRoot + "/" + relative;
        }

        /** The top tar entry's name for a container path, as moby names it. */
        private static String tarRoot(String abs) {
            if (abs.matches("/+")) return "/";
            String base = abs.substring(abs.lastIndexOf('/') + 1);
            if (base.isEmpty()) return lastName(abs);
            return base.equals(".") ? "./" : base;
        }

        PathStat stat() throws IOException {
            DirFd.Stat st = DirFd.stat(dirFd, base);
            String linkTarget = "";
            if (st.isSymlink()) {
                linkTarget = linkTarget(root);
                if (!prefix.isEmpty()) linkTarget = linkTarget.equals("/") ? prefix : prefix + linkTarget;
            }
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
            if (ownsRoot) DirFd.close(root);
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
