package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The local side of {@code cp}: a file tree to a tar whose root entry has a chosen name, and a tar back into a
 * directory, optionally with its root entry renamed. Extraction keeps every entry inside the target: names with
 * {@code ..} or a leading {@code /} are refused, and so is writing through a symlink that leads out.
 */
final class TarTree {
    private TarTree() {
    }

    static String base(String containerPath) {
        String p = containerPath.endsWith("/") && containerPath.length() > 1 ? containerPath.substring(0, containerPath.length() - 1) : containerPath;
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    static String parent(String containerPath) {
        String p = containerPath.endsWith("/") && containerPath.length() > 1 ? containerPath.substring(0, containerPath.length() - 1) : containerPath;
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    /** Writes {@code from} (a file, link or directory tree) as a tar whose root entry is {@code rootName}. */
    static void write(Path from, String rootName, OutputStream out) throws IOException {
        try (var tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            add(tar, from, rootName);
        }
    }

    private static void add(TarArchiveOutputStream tar, Path file, String name) throws IOException {
        boolean link = Files.isSymbolicLink(file);
        boolean dir = !link && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry entry;
        if (link) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(file).toString());
        } else {
            entry = new TarArchiveEntry(file, dir ? name + "/" : name, LinkOption.NOFOLLOW_LINKS);
        }
        tar.putArchiveEntry(entry);
        if (!link && !dir) Files.copy(file, tar);
        tar.closeArchiveEntry();
        if (dir) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(file)) {
                for (Path child : children) add(tar, child, (name.equals(".") ? "." : name) + "/" + child.getFileName());
            }
        }
    }

    /**
     * Extracts into {@code target}. With {@code newRoot}, the archive's first path component is renamed to it (how cp
     * copies {@code ctr:/etc/hosts} to {@code ./h}); a root of {@code .} puts the contents straight into the target.
     */
    static void extract(InputStream in, Path target, String newRoot, boolean keepOwners) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Path realRoot = root.toRealPath();
        var tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            String name = rename(e.getName(), newRoot);
            if (name == null) continue;
            Path dest = inside(root, name, e.getName());
            Path parent = dest.getParent();
            Files.createDirectories(parent);
            if (!parent.toRealPath().startsWith(realRoot)) throw new IOException("refusing to write through a link out of the target: " + e.getName());
            if (e.isDirectory()) {
                if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(dest);
                    Files.createDirectory(dest);
                }
            } else if (e.isSymbolicLink()) {
                Files.deleteIfExists(dest);
                Files.createSymbolicLink(dest, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                Path existing = inside(root, rename(e.getLinkName(), newRoot), e.getLinkName());
                // Only to a regular file of this extraction: a link through a symlink would share an outside inode,
                // and the metadata below would then change that file.
                if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)
                        || !existing.getParent().toRealPath().startsWith(realRoot)) {
                    throw new IOException("refusing a hard link out of the target: " + e.getName() + " -> " + e.getLinkName());
                }
                Files.deleteIfExists(dest);
                Files.createLink(dest, existing);
                continue; // the inode's mode, times and owner came with the file it links to
            } else if (e.isFile()) {
                if (Files.isSymbolicLink(dest)) Files.delete(dest);
                Files.copy(tar, dest, StandardCopyOption.REPLACE_EXISTING);
            } else {
                continue; // devices and fifos are not created by a user-level copy
            }
            if (!e.isSymbolicLink()) {
                Files.setPosixFilePermissions(dest, permissions(e.getMode()));
                Files.setLastModifiedTime(dest, FileTime.from(e.getModTime().toInstant()));
            }
            if (keepOwners) {
                Files.setAttribute(dest, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(dest, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /** The entry's name with the first component replaced; null for the root entry of a contents-only copy. */
    static String rename(String name, String newRoot) {
        String n = name;
        while (n.startsWith("./") && n.length() > 2) n = n.substring(2);
        if (n.endsWith("/")) n = n.substring(0, n.length() - 1);
        if (n.equals(".") || n.isEmpty()) return newRoot;
        if (name.startsWith("./") || newRoot == null) return n;
        int slash = n.indexOf('/');
        return slash < 0 ? newRoot : newRoot + n.substring(slash);
    }

    private static Path inside(Path root, String name, String original) throws IOException {
        if (name.startsWith("/") || Path.of(name).normalize().startsWith("..")) {
            throw new IOException("refusing an entry outside the target: " + original);
        }
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) throw new IOException("refusing an entry outside the target: " + original);
        return p;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) if ((mode & (1 << i)) != 0) s.add(order[i]);
        return s;
    }
}
