package dev.berth.image;

import dev.berth.common.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Unpacks one layer tar into an empty directory the way overlayfs wants it, computing the layer's diff_id (sha256 of
 * the uncompressed tar stream, trailing blocks included) on the way.
 *
 * <p>Refused with {@link EngineException.InvalidArgument}: absolute names, names or hard-link targets that climb out
 * with {@code ..}, entries below a symlink (writing through it could land outside), corrupt or truncated archives,
 * entry types Docker does not handle either. The caller deletes the directory on any failure.
 *
 * <p>Whiteouts follow the overlayfs format, as Docker's overlay2 driver writes them: {@code .wh.<name>} becomes a 0:0
 * character device {@code <name>}, {@code .wh..wh..opq} sets {@code trusted.overlay.opaque=y} on its directory.
 * Symlink targets are kept as they are, even absolute ones: they are resolved inside the container's root.
 *
 * <p>Extended attributes ({@code SCHILY.xattr.*} PAX records, file capabilities among them) are set on what they
 * name, their values taken as raw bytes from the stream ({@link TarStreamTap.Xattrs}); {@code trusted.overlay.*}
 * ones are left out, since a layer must not steer overlayfs (redirects, opaque flags) but through whiteouts.
 *
 * <p>Known limit: when the daemon does not run as root owners are left as the daemon's user, as rootless Docker
 * without an id map does; so are {@code trusted.*} and {@code security.*} attributes, which need root.
 */
final class TarUnpacker {
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String WHITEOUT_META_PREFIX = ".wh..wh.";
    private static final String OPAQUE_WHITEOUT = ".wh..wh..opq";
    private static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final int TAR_BLOCK = 512;

    private final Path root;
    private final boolean chown;
    // Directory times are set last: creating entries inside a directory changes its mtime.
    private final Map<Path, FileTime> directoryTimes = new LinkedHashMap<>();
    private final byte[] buffer = new byte[64 * 1024];

    private TarUnpacker(Path root) {
        this.root = root;
        this.chown = NativeFs.isRoot();
    }

    /**
     * Unpacks {@code archive} (compressed or not) into the existing empty directory {@code root}.
     *
     * @return the diff_id of the layer
     */
    static Digest unpack(InputStream archive, Path root) {
        return new TarUnpacker(root).run(archive, in -> in);
    }

    /** As {@link #unpack(InputStream, Path)}, reading the uncompressed tar through {@code tap} (a tar-split recorder). */
    static Digest unpack(InputStream archive, Path root, java.util.function.UnaryOperator<InputStream> tap) {
        return new TarUnpacker(root).run(archive, tap);
    }

    private Digest run(InputStream archive, java.util.function.UnaryOperator<InputStream> tap) {
        var hashing = new HashingInputStream(tap.apply(readSide(() -> Compression.decompressing(archive))));
        var xattrs = new TarStreamTap.Xattrs(hashing);
        var tar = new TarArchiveInputStream(xattrs, StandardCharsets.UTF_8.name());
        TarArchiveEntry entry;
        while ((entry = readSide(tar::getNextEntry)) != null) {
            // Go's archive/tar checks every header's checksum; commons-compress leaves it to us.
            if (!entry.isCheckSumOK()) throw EngineException.invalid("error processing tar file: archive/tar: invalid tar header");
            apply(entry, tar, xattrs.current());
        }
        readSide(() -> hashing.transferTo(OutputStream.nullOutputStream()));
        if (hashing.count % TAR_BLOCK != 0) throw EngineException.invalid("error processing tar file: unexpected EOF");
        for (var dir : directoryTimes.entrySet()) setTimes(dir.getKey(), dir.getValue());
        return Digest.fromHash(hashing.digest.digest());
    }

    private void apply(TarArchiveEntry e, TarArchiveInputStream tar, Map<String, byte[]> xattrs) {
        Path rel = relative(e.getName(), e.getName());
        if (rel == null) {
            // "./": the layer's root directory itself.
            if (!e.isDirectory()) throw refused(e.getName(), "the root of a layer must be a directory");
            applyMetadata(root, e, xattrs);
            return;
        }
        Path parent = ensureParents(rel.getParent(), e.getName(), true);
        String base = rel.getFileName().toString();
        if (base.startsWith(WHITEOUT_PREFIX)) {
            applyWhiteout(parent, base, e);
            return;
        }
        Path target = parent.resolve(base);
        var existing = lstat(target);
        if (existing != null && !(e.isDirectory() && existing.isDirectory())) {
            writeSide(target, () -> FileTrees.deleteRecursively(target));
        }
        byte flag = e.getLinkFlag();
        if (e.isDirectory()) {
            if (existing == null || !existing.isDirectory()) writeSide(target, () -> Files.createDirectory(target));
        } else if (flag == TarConstants.LF_SYMLINK) {
            if (e.getLinkName().isEmpty()) throw refused(e.getName(), "symlink with an empty target");
            writeSide(target, () -> Files.createSymbolicLink(target, Path.of(e.getLinkName())));
        } else if (flag == TarConstants.LF_LINK) {
            hardLink(e, target);
            return; // the link shares the target's inode, owner, mode and times
        } else if (flag == TarConstants.LF_CHR || flag == TarConstants.LF_BLK || flag == TarConstants.LF_FIFO) {
            int type = flag == TarConstants.LF_CHR ? NativeFs.S_IFCHR : flag == TarConstants.LF_BLK ? NativeFs.S_IFBLK : NativeFs.S_IFIFO;
            writeSide(target, () -> NativeFs.mknod(target, type, e.getMode(), e.getDevMajor(), e.getDevMinor()));
        } else if (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG) {
            writeFile(target, e, tar);
        } else {
            throw refused(e.getName(), "unhandled tar header type " + (char) flag);
        }
        applyMetadata(target, e, xattrs);
    }

    private void applyWhiteout(Path parent, String base, TarArchiveEntry e) {
        if (base.equals(OPAQUE_WHITEOUT)) {
            writeSide(parent, () -> NativeFs.lsetxattr(parent, OPAQUE_XATTR, new byte[] {'y'}));
            return;
        }
        if (base.startsWith(WHITEOUT_META_PREFIX)) return; // aufs bookkeeping (.wh..wh.plnk, ...): nothing on overlay
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) throw refused(e.getName(), "invalid whiteout");
        Path target = parent.resolve(hidden);
        if (lstat(target) != null) writeSide(target, () -> FileTrees.deleteRecursively(target));
        writeSide(target, () -> NativeFs.mknod(target, NativeFs.S_IFCHR, 0, 0, 0));
        if (chown) writeSide(target, () -> chown(target, e));
    }

    private void hardLink(TarArchiveEntry e, Path target) {
        Path linkRel = relative(e.getLinkName(), e.getName());
        if (linkRel == null) throw refused(e.getName(), "hard link to the layer root");
        Path source = ensureParents(linkRel.getParent(), e.getName(), false).resolve(linkRel.getFileName());
        var attrs = lstat(source);
        if (attrs == null) throw refused(e.getName(), "hard link target " + e.getLinkName() + " does not exist");
        if (attrs.isDirectory()) throw refused(e.getName(), "hard link to a directory");
        writeSide(target, () -> Files.createLink(target, source));
    }

    private void writeFile(Path target, TarArchiveEntry e, TarArchiveInputStream tar) {
        try (var out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = readSide(() -> tar.read(buffer))) >= 0) {
                var buf = ByteBuffer.wrap(buffer, 0, n);
                while (buf.hasRemaining()) out.write(buf);
            }
        } catch (IOException ex) {
            throw writeFailure(target, ex);
        }
    }

    private void applyMetadata(Path target, TarArchiveEntry e, Map<String, byte[]> xattrs) {
        boolean symlink = e.getLinkFlag() == TarConstants.LF_SYMLINK;
        writeSide(target, () -> {
            if (chown) chown(target, e);
            // chmod after chown: chown clears setuid and setgid. Attributes after both: chown also clears
            // security.capability.
            if (!symlink) NativeFs.chmod(target, e.getMode());
            for (var x : xattrs.entrySet()) {
                if (!x.getKey().startsWith(TarStreamTap.OVERLAY_XATTR_PREFIX)) setXattr(target, x.getKey(), x.getValue());
            }
        });
        if (e.isDirectory()) directoryTimes.put(target, e.getLastModifiedTime());
        else setTimes(target, e.getLastModifiedTime());
    }

    /** As Docker: an attribute the file system or the daemon's privileges do not allow is skipped, others fail. */
    private void setXattr(Path target, String name, byte[] value) throws IOException {
        try {
            NativeFs.lsetxattr(target, name, value);
        } catch (NativeFs.ErrnoException ex) {
            if (ex.errno != NativeFs.EOPNOTSUPP && ex.errno != NativeFs.EPERM) throw ex;
        }
    }

    private static void chown(Path target, TarArchiveEntry e) throws IOException {
        Files.setAttribute(target, "unix:uid", id(e.getLongUserId(), e), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(target, "unix:gid", id(e.getLongGroupId(), e), LinkOption.NOFOLLOW_LINKS);
    }

    /** uid_t and gid_t are unsigned 32-bit; -1 means "leave unchanged" to chown, so it is refused too. */
    private static int id(long value, TarArchiveEntry e) {
        if (value < 0 || value >= 0xffffffffL) throw refused(e.getName(), "owner id " + value + " out of range");
        return (int) value;
    }

    private static void setTimes(Path target, FileTime mtime) {
        writeSide(target, () -> NativeFs.lutimes(target, mtime.toInstant()));
    }

    /**
     * The entry name as a path inside the layer, or null for the layer root. Names are cleaned as Go's
     * filepath.Clean would; what is left must not be absolute or start with "..".
     */
    private static Path relative(String name, String entryName) {
        if (name.startsWith("/")) throw refused(entryName, "absolute path");
        if (name.indexOf('\0') >= 0) throw refused(entryName, "NUL in name");
        Path p = Path.of(name).normalize();
        if (p.startsWith("..")) throw refused(entryName, "path escapes the layer");
        String s = p.toString();
        return s.isEmpty() || s.equals(".") ? null : p;
    }

    /**
     * Resolves {@code parentRel} below the root, refusing symlinks on the way (a later entry would be written
     * through them) and creating missing directories when {@code create}, as tar does for entries listed without
     * their parents.
     */
    private Path ensureParents(Path parentRel, String entryName, boolean create) {
        Path dir = root;
        if (parentRel == null) return dir;
        for (Path component : parentRel) {
            dir = dir.resolve(component);
            var attrs = lstat(dir);
            if (attrs == null) {
                if (!create) throw refused(entryName, "no such directory " + root.relativize(dir));
                Path created = dir;
                writeSide(created, () -> Files.createDirectory(created));
            } else if (attrs.isSymbolicLink()) {
                throw refused(entryName, "path traverses the symlink " + root.relativize(dir));
            } else if (!attrs.isDirectory()) {
                throw refused(entryName, root.relativize(dir) + " is not a directory");
            }
        }
        return dir;
    }

    private static BasicFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw writeFailure(p, e);
        }
    }

    private static EngineException refused(String entryName, String why) {
        return EngineException.invalid("error processing tar file: invalid entry %s: %s", entryName, why);
    }

    private static EngineException writeFailure(Path p, IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return EngineException.invalid("error processing tar file: %s exists twice", p.getFileName());
        }
        return new EngineException.SystemFailure("error unpacking layer at " + p + ": " + e.getMessage(), e);
    }

    // Failures reading the archive are the sender's (corrupt, truncated); failures writing the layer are ours.

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static <T> T readSide(IoSupplier<T> read) {
        try {
            return read.get();
        } catch (IOException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (detail.toLowerCase(java.util.Locale.ROOT).contains("truncated")) detail = "unexpected EOF";
            throw new EngineException.InvalidArgument("error processing tar file: " + detail, e);
        }
    }

    private static void writeSide(Path p, IoAction write) {
        try {
            write.run();
        } catch (IOException e) {
            throw writeFailure(p, e);
        }
    }

    /** Hashes and counts every uncompressed byte, so the diff_id covers the stream exactly as sent. */
    private static final class HashingInputStream extends ObservedInputStream {
        final MessageDigest digest = Digest.newSha256();
        long count;

        HashingInputStream(InputStream in) {
            super(in);
        }

        @Override
        protected void observe(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count += len;
        }
    }
}
