package dev.berth.engine.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A log file in one of Docker's on-disk formats ({@link LogFormat}), and with {@code max-size} its rotated
 * predecessors {@code <file>.1} (newest) to {@code .<max-file - 1>}, gzipped ({@code .1.gz}) with {@code compress}.
 * Written by one shipper per container; read by any number of {@code logs} clients, also while it rotates.
 */
public final class RotatingLog {
    private final Path file;
    private final LogFormat format;
    private final long maxSize;
    private final int maxFile;
    private final boolean compress;

    public RotatingLog(Path file, LogFormat format, LogConfig config) {
        this(file, format, config.maxSize(), config.maxFile(), config.compress());
    }

    RotatingLog(Path file, LogFormat format, long maxSize, int maxFile, boolean compress) {
        this.file = file;
        this.format = format;
        this.maxSize = maxSize;
        this.maxFile = maxFile;
        this.compress = compress;
    }

    public Path file() {
        return file;
    }

    /** Bytes in the current file (0 when there is none). */
    public long size() {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts the current file back to {@code size}: the part of a batch written before a crash, shipped again. */
    public void truncate(long size) throws IOException {
        try (var ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (ch.size() > size) ch.truncate(size);
        } catch (NoSuchFileException e) {
            // nothing written yet
        }
    }

    /** Appends the entries, rotating first whenever the current file has reached max-size (as dockerd does). */
    public void append(List<LogEntry> entries) throws IOException {
        if (entries.isEmpty()) return;
        long size = size();
        var batch = new ByteArrayOutputStream();
        for (LogEntry e : entries) {
            if (maxSize > 0 && size + batch.size() >= maxSize && size + batch.size() > 0) {
                write(batch);
                batch.reset();
                rotate();
                size = 0;
            }
            format.write(e, batch);
        }
        write(batch);
    }

    private void write(ByteArrayOutputStream batch) throws IOException {
        if (batch.size() == 0) return;
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            batch.writeTo(out);
        }
    }

    /** The current file becomes {@code .1}; the others move one up and the oldest beyond max-file goes. */
    private void rotate() throws IOException {
        if (maxFile <= 1) {
            truncate(0);
            return;
        }
        Files.deleteIfExists(rotated(maxFile - 1, false));
        Files.deleteIfExists(rotated(maxFile - 1, true));
        for (int i = maxFile - 2; i >= 1; i--) {
            for (boolean gz : new boolean[] {false, true}) {
                if (Files.exists(rotated(i, gz))) Files.move(rotated(i, gz), rotated(i + 1, gz), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(file, rotated(1, false), StandardCopyOption.ATOMIC_MOVE);
        if (compress) {
            Path tmp = file.resolveSibling(file.getFileName() + ".1.gz.tmp");
            try (InputStream in = Files.newInputStream(rotated(1, false));
                 OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
                in.transferTo(out);
            }
            Files.move(tmp, rotated(1, true), StandardCopyOption.ATOMIC_MOVE);
            Files.delete(rotated(1, false));
        }
    }

    private Path rotated(int n, boolean gz) {
        return file.resolveSibling(file.getFileName() + "." + n + (gz ? ".gz" : ""));
    }

    /** The rotated files that exist, oldest first. */
    private List<Path> rotatedFiles() {
        var out = new ArrayList<Path>();
        for (int i = Math.max(maxFile - 1, 1); i >= 1; i--) {
            if (Files.exists(rotated(i, true))) out.add(rotated(i, true));
            else if (Files.exists(rotated(i, false))) out.add(rotated(i, false));
        }
        return out;
    }

    /**
     * Sends the entries {@code query} asks for to {@code sink}, oldest file first. With {@code follow}, keeps reading
     * the current file (and its successor after a rotation) until {@code producing} turns false and all is read;
     * {@code catchUp} runs before each look for more (it ships what conmon wrote meanwhile).
     */
    public void read(LogQuery query, BooleanSupplier producing, Runnable catchUp, CriLogReader.Sink sink)
            throws IOException, InterruptedException {
        catchUp.run();
        var tail = query.tail() >= 0 ? new ArrayDeque<LogEntry>() : null;
        boolean go = true;
        for (Path p : rotatedFiles()) {
            if (!go) break;
            try (InputStream in = open(p)) {
                if (in != null) go = drain(format.reader(in), query, sink, tail);
            } catch (NoSuchFileException e) {
                // rotated away while we read: its entries are in the next file
            }
        }
        InputStream current = open(file);
        Object key = current == null ? null : fileKey();
        try {
            var lines = current == null ? null : format.reader(current);
            if (go && lines != null) go = drain(lines, query, sink, tail);
            if (tail != null) {
                for (LogEntry e : tail) if (!sink.accept(e)) return;
            }
            if (!go) return;
            while (query.follow()) {
                boolean more = producing.getAsBoolean();
                catchUp.run();
                if (lines != null && !drain(lines, query, sink, null)) return;
                Object now = fileKey();
                if (now != null && !now.equals(key)) {
                    // rotated (or first written): the old file is read to its end above; go on with the new one
                    if (current != null) current.close();
                    current = open(file);
                    key = now;
                    lines = current == null ? null : format.reader(current);
                    continue;
                }
                if (!more) break;
                sink.caughtUp();
                Thread.sleep(25);
            }
        } finally {
            if (current != null) current.close();
        }
    }

    private Object fileKey() throws IOException {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static InputStream open(Path p) throws IOException {
        try {
            InputStream in = Files.newInputStream(p);
            return p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 64 * 1024) : in;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** False when the reader should stop (past {@code until}, or the client went away). */
    private static boolean drain(LogFormat.Reader records, LogQuery q, CriLogReader.Sink sink, ArrayDeque<LogEntry> tail)
            throws IOException {
        LogEntry e;
        while ((e = records.next()) != null) {
            if (q.until() != null && e.time().isAfter(q.until())) return false;
            if (!q.wants(e)) continue;
            if (tail != null) {
                tail.addLast(e);
                if (tail.size() > q.tail()) tail.removeFirst();
            } else if (!sink.accept(e)) {
                return false;
            }
        }
        return true;
    }
}
