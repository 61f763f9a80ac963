package dev.berth.engine.logs;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers' logs. Conmon writes a container's output to its journal ({@code container.log}, CRI format), which
 * outlives the daemon; for the {@code json-file} and {@code local} drivers the daemon ships the journal into
 * Docker's files ({@code <id>-json.log}, {@code local-logs/container.log}) while the container runs, and catches
 * up after a restart from the cursor it keeps ({@code log-cursor.json}: how far the journal is shipped and how long
 * the driver's file was then), so no output is lost or written twice across a kill -9. A run's journal is deleted
 * once it is shipped whole, after the exit.
 */
public final class ContainerLogs {
    private static final Logger log = LoggerFactory.getLogger(ContainerLogs.class);
    private static final int BATCH = 1 << 20;
    private static final long IDLE_POLL_MAX_MILLIS = 250;

    private final Function<String, Path> containerDirs;
    private final Map<String, Shipment> shipments = new ConcurrentHashMap<>();

    public ContainerLogs(Function<String, Path> containerDirs) {
        this.containerDirs = containerDirs;
    }

    /** Where conmon writes the container's output. */
    public Path journal(String id) {
        return containerDirs.apply(id).resolve("container.log");
    }

    /** The file {@code inspect} shows as LogPath: the json file, the journal for old containers, none for none. */
    public Path logPath(String id, LogConfig config) {
        return switch (type(config)) {
            case LogConfig.JSON_FILE -> jsonFile(id);
            case LogConfig.LOCAL, LogConfig.NONE -> null; // as dockerd: only json-file's file is shown
            default -> journal(id);
        };
    }

    private Path jsonFile(String id) {
        return containerDirs.apply(id).resolve(id + "-json.log");
    }

    /** The file a shipped driver writes: json-file's {@code <id>-json.log}, local's {@code local-logs/container.log}. */
    private RotatingLog logFile(String id, LogConfig config) {
        return LogConfig.LOCAL.equals(config.type())
                ? new RotatingLog(containerDirs.apply(id).resolve("local-logs").resolve("container.log"), LogFormat.LOCAL, config)
                : new RotatingLog(jsonFile(id), LogFormat.JSON_FILE, config);
    }

    private static boolean shipped(LogConfig config) {
        return config != null && config.shipped();
    }

    private static String type(LogConfig config) {
        return config == null ? LogConfig.JOURNAL : config.type();
    }

    /** The container runs (started, or adopted by a new daemon): its output is shipped as it comes. */
    public void running(String id, LogConfig config) {
        if (!shipped(config)) return;
        Shipment s = shipments.computeIfAbsent(id, k -> new Shipment(id, logFile(id, config)));
        s.startLoop();
    }

    /** The container's run ended: everything it wrote is shipped, then its journal goes. */
    public void ended(String id, LogConfig config) {
        Shipment s = shipments.remove(id);
        // Without a journal there is nothing to ship: no cursor to read (a daemon start calls this for every stopped one).
        if (s == null && shipped(config) && Files.exists(journal(id))) s = new Shipment(id, logFile(id, config));
        if (s != null) {
            s.stopLoop();
            s.finish();
        } else if (LogConfig.NONE.equals(type(config))) {
            deleteQuietly(journal(id));
        }
    }

    /** The container is being removed: no more shipping (its directory goes with it). */
    public void removed(String id) {
        Shipment s = shipments.remove(id);
        if (s != null) s.stopLoop();
    }

    /** A 501 for a driver that keeps nothing readable: checked before a {@code logs} answer starts. */
    public static void requireReadable(LogConfig config) {
        if (LogConfig.NONE.equals(type(config))) {
            throw EngineException.notImplemented("configured logging driver does not support reading");
        }
    }

    /** {@code logs}: what the driver can give back. */
    public void read(String id, LogConfig config, LogQuery query, BooleanSupplier running, CriLogReader.Sink sink)
            throws IOException, InterruptedException {
        switch (type(config)) {
            case LogConfig.JSON_FILE, LogConfig.LOCAL -> {
                Shipment s = shipments.get(id);
                Runnable catchUp = s == null ? () -> { } : s::shipQuietly;
                logFile(id, config).read(query, () -> running.getAsBoolean() || shipments.containsKey(id), catchUp, sink);
            }
            case LogConfig.NONE -> requireReadable(config);
            default -> CriLogReader.read(journal(id), query, running, sink);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("deleting {}: {}", p, e.getMessage());
        }
    }

    /** How far a container's journal is shipped; {@code journalKey} tells one run's journal from the next. */
    record Cursor(long offset, String journalKey, long fileSize) {}

    /** The shipping of one container's journal into its driver's file. */
    private final class Shipment {
        private final String id;
        private final RotatingLog file;
        private final Path cursorFile;
        private Cursor cursor;
        private volatile boolean looping;
        private Thread thread;

        Shipment(String id, RotatingLog file) {
            this.id = id;
            this.file = file;
            this.cursorFile = containerDirs.apply(id).resolve("log-cursor.json");
            this.cursor = loadCursor();
        }

        private Cursor loadCursor() {
            Cursor c;
            try {
                c = Json.read(Files.readAllBytes(cursorFile), Cursor.class);
            } catch (NoSuchFileException e) {
                c = new Cursor(0, null, file.size());
            } catch (IOException | RuntimeException e) {
                log.warn("log cursor of {} unreadable ({}): shipping its journal from the start", id, e.getMessage());
                c = new Cursor(0, null, file.size());
            }
            try {
                // A batch written after the cursor was saved is shipped again: cut it off first.
                if (file.size() > c.fileSize()) file.truncate(c.fileSize());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return c;
        }

        synchronized void startLoop() {
            if (looping) return;
            looping = true;
            thread = Thread.ofVirtual().name("logs-" + id.substring(0, 12)).start(this::loop);
        }

        void stopLoop() {
            Thread t;
            synchronized (this) {
                looping = false;
                t = thread;
            }
            if (t != null) {
                t.interrupt();
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void loop() {
            long idle = 10;
            while (looping) {
                long shipped = shipQuietly();
                idle = shipped > 0 ? 10 : Math.min(IDLE_POLL_MAX_MILLIS, idle * 2);
                try {
                    Thread.sleep(idle);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long shipQuietly() {
            try {
                return ship();
            } catch (IOException | RuntimeException e) {
                log.warn("shipping the log of {}: {}", id, e.getMessage());
                return 0;
            }
        }

        /** Ships what the journal holds beyond the cursor; returns the bytes of journal consumed. */
        synchronized long ship() throws IOException {
            Path journal = journal(id);
            long total = 0;
            try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ)) {
                String key = String.valueOf(Files.readAttributes(journal, BasicFileAttributes.class).fileKey());
                long offset = key.equals(cursor.journalKey()) && cursor.offset() <= ch.size() ? cursor.offset() : 0;
                ByteBuffer buf = ByteBuffer.allocate(BATCH);
                while (true) {
                    buf.clear();
                    int n = ch.read(buf, offset);
                    if (n <= 0) break;
                    byte[] bytes = buf.array();
                    var entries = new ArrayList<LogEntry>();
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (bytes[i] != '\n') continue;
                        byte[] line = java.util.Arrays.copyOfRange(bytes, start, i);
                        var chunk = CriLogReader.Chunk.parse(line);
                        if (chunk != null) entries.add(chunk.entry(line));
                        start = i + 1;
                    }
                    if (start == 0) {
                        if (n == BATCH) throw new IOException("a journal line longer than " + BATCH + " bytes");
                        break; // a line conmon is still writing
                    }
                    file.append(entries);
                    offset += start;
                    total += start;
                    saveCursor(new Cursor(offset, key, file.size()));
                }
                if (!key.equals(cursor.journalKey())) saveCursor(new Cursor(offset, key, file.size()));
            } catch (NoSuchFileException e) {
                // not started yet, or this run's journal already shipped and gone
            }
            return total;
        }

        /** After the exit: ships the rest, then deletes the journal (the next run starts a new one). */
        synchronized void finish() {
            if (!Files.exists(journal(id))) return; // already shipped whole (or the run never started)
            try {
                ship();
                deleteQuietly(journal(id));
                saveCursor(new Cursor(0, null, file.size()));
            } catch (IOException | RuntimeException e) {
                log.warn("shipping the rest of the log of {}: {}", id, e.getMessage());
            }
        }

        /** Not synced: a kill -9 leaves the page cache; a cursor behind the file is mended at the next start. */
        private void saveCursor(Cursor c) throws IOException {
            Path tmp = cursorFile.resolveSibling(".tmp-log-cursor.json");
            Files.write(tmp, Json.write(c));
            Files.move(tmp, cursorFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            cursor = c;
        }
    }
}
