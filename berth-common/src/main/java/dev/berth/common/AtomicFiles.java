package dev.berth.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes that survive {@code kill -9} and power loss: write a temporary file beside the target, fsync it, rename it
 * over the target, fsync the directory. A reader sees the old content or the new one, never a half-written file.
 * There is no non-atomic fallback: daemon state must not be torn.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Temporary files carry this prefix so that a start-up sweep can remove the ones a crash left behind. */
    public static final String TEMP_PREFIX = ".tmp-";

    public static void write(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(dir);
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(temp);
            throw new EngineException.SystemFailure("atomic rename not supported in " + dir, e);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
        }
    }

    /** Renames atomically and makes the rename durable. */
    public static void move(Path source, Path target) {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("renaming " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("fsync of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes temporary files left in {@code dir} by a write that a crash interrupted. */
    public static void sweepTemporaries(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (var entries = Files.list(dir)) {
            entries.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temporary is swept at the next start
        }
    }
}
