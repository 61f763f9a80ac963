package dev.berth.image;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What it takes to give back a layer's tar byte for byte once it has been unpacked: every byte of the uncompressed
 * stream except the contents of regular files, which are read back from the unpacked files. The layer's diff_id is
 * the sha256 of that exact stream, so a save after a load writes the digests the image config names (Docker keeps
 * the same record, its "tar-split", for the same reason).
 *
 * <p>On disk: a gzip stream of records, {@code 'R' <int n> <n bytes>} for raw bytes (headers, PAX records, padding,
 * the end blocks), {@code 'F' <long size> <int n> <n bytes of UTF-8 name>} for a regular file's contents, {@code 'E'}
 * at the end.
 */
final class TarSplit {
    private static final int RAW_FLUSH = 64 * 1024;

    private TarSplit() {}

    /** A file whose contents the split refers to, with its path inside the layer (cleaned, relative). */
    record FileRef(String name, long size) {}

    /** Records the split of the tar stream read through it. */
    static final class Recorder extends TarStreamTap {
        private final DataOutputStream out;
        private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        private final List<FileRef> files = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private boolean payloadIsFile;
        private boolean duplicateNames;

        Recorder(InputStream in, OutputStream split) {
            super(in);
            this.out = new DataOutputStream(split);
        }

        /** The regular files the split refers to, in order. */
        List<FileRef> files() {
            return files;
        }

        /** True if two entries carry content under one name: the later one hides the earlier on disk. */
        boolean hasDuplicateNames() {
            return duplicateNames;
        }

        /** Writes what is left and the end record; call once the stream has been read to its end. */
        void finish() throws IOException {
            flushRaw();
            out.writeByte('E');
            out.flush();
        }

        @Override
        protected void bytes(Part part, byte[] b, int off, int len) throws IOException {
            if (part != Part.CONTENT || !payloadIsFile) raw.write(b, off, len);
            if (raw.size() >= RAW_FLUSH) flushRaw();
        }

        @Override
        protected void entry(byte type, String name, long size, Map<String, byte[]> xattrs) throws IOException {
            payloadIsFile = false;
            if ((type == '0' || type == 0 || type == '7') && size > 0 && !name.endsWith("/")) {
                String clean = clean(name);
                if (clean != null) {
                    flushRaw();
                    byte[] n = clean.getBytes(StandardCharsets.UTF_8);
                    out.writeByte('F');
                    out.writeLong(size);
                    out.writeInt(n.length);
                    out.write(n);
                    files.add(new FileRef(clean, size));
                    if (!names.add(clean)) duplicateNames = true;
                    payloadIsFile = true;
                }
            }
        }

        private void flushRaw() throws IOException {
            if (raw.size() == 0) return;
            out.writeByte('R');
            out.writeInt(raw.size());
            raw.writeTo(out);
            raw.reset();
        }
    }

    /** The name as a relative path inside the layer, or null if it is the root or not a plain path below it. */
    static String clean(String name) {
        if (name.startsWith("/") || name.indexOf('\0') >= 0) return null;
        Path p = Path.of(name).normalize();
        String s = p.toString();
        if (s.isEmpty() || s.equals(".") || p.startsWith("..")) return null;
        return s;
    }

    /** The length of the tar the split gives back. */
    static long size(Path split) throws IOException {
        long total = 0;
        try (var in = open(split)) {
            while (true) {
                int kind = in.readUnsignedByte();
                switch (kind) {
                    case 'R' -> {
                        int n = in.readInt();
                        total += n;
                        in.skipNBytes(n);
                    }
                    case 'F' -> {
                        total += in.readLong();
                        in.skipNBytes(in.readInt());
                    }
                    case 'E' -> {
                        return total;
                    }
                    default -> throw new IOException("corrupt tar-split record " + kind);
                }
            }
        }
    }

    /** Writes the tar back: raw bytes from the split, file contents from {@code root}. */
    static void assemble(Path split, Path root, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try (var in = open(split)) {
            while (true) {
                int kind = in.readUnsignedByte();
                switch (kind) {
                    case 'R' -> {
                        int n = in.readInt();
                        while (n > 0) {
                            int chunk = Math.min(n, buffer.length);
                            in.readFully(buffer, 0, chunk);
                            out.write(buffer, 0, chunk);
                            n -= chunk;
                        }
                    }
                    case 'F' -> {
                        long size = in.readLong();
                        byte[] name = new byte[in.readInt()];
                        in.readFully(name);
                        Path file = inside(root, new String(name, StandardCharsets.UTF_8), size);
                        try (var content = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                            long left = size;
                            while (left > 0) {
                                int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
                                if (n < 0) throw new EOFException(file + " is shorter than its tar entry");
                                out.write(buffer, 0, n);
                                left -= n;
                            }
                        }
                    }
                    case 'E' -> {
                        return;
                    }
                    default -> throw new IOException("corrupt tar-split record " + kind);
                }
            }
        }
    }

    /**
     * Whether every file the split refers to is on disk under its name, as a regular file of its size, reached
     * without crossing a symlink (a later entry may have replaced a directory with a link).
     */
    static boolean matches(List<FileRef> files, Path root) {
        try {
            for (FileRef f : files) inside(root, f.name(), f.size());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code root/name}, checked component by component: directories, then a regular file of {@code size}. */
    private static Path inside(Path root, String name, long size) throws IOException {
        if (clean(name) == null || !clean(name).equals(name)) throw new IOException("bad name in tar-split: " + name);
        Path p = root;
        Path rel = Path.of(name);
        for (int i = 0; i < rel.getNameCount(); i++) {
            p = p.resolve(rel.getName(i));
            var attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean last = i == rel.getNameCount() - 1;
            if (!last && !attrs.isDirectory()) throw new IOException(root.relativize(p) + " is not a directory");
            if (last && (!attrs.isRegularFile() || attrs.size() != size)) {
                throw new IOException(name + " no longer matches its tar entry");
            }
        }
        return p;
    }

    private static DataInputStream open(Path split) throws IOException {
        return new DataInputStream(new GZIPInputStream(Files.newInputStream(split), 64 * 1024));
    }

    static OutputStream create(Path split) throws IOException {
        return new GZIPOutputStream(Files.newOutputStream(split), 64 * 1024);
    }
}
