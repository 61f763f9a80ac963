package dev.berth.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One daemon per data root and per exec root: an exclusive lock on {@code berthd.lock} in each, held for the daemon's
 * life. Both are needed: two daemons on one exec root would each take the other's runtime tasks for orphans and
 * remove them, and share a pid file. The kernel drops the locks when the process dies, even by {@code kill -9}, so a
 * crash never leaves a stale lock behind.
 */
final class RootLocks implements AutoCloseable {
    static final String LOCK_FILE = "berthd.lock";

    private final List<FileChannel> held;

    private RootLocks(List<FileChannel> held) {
        this.held = held;
    }

    /** Locks both roots, or none: the first one held by another daemon is named in the exception. */
    static RootLocks acquire(Path dataRoot, Path execRoot) throws IOException {
        var held = new ArrayList<FileChannel>();
        try {
            held.add(lock(dataRoot, "data root"));
            if (!execRoot.toAbsolutePath().normalize().equals(dataRoot.toAbsolutePath().normalize())) {
                held.add(lock(execRoot, "exec root"));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(held);
            throw e;
        }
        return new RootLocks(held);
    }

    private static FileChannel lock(Path root, String what) throws IOException {
        Files.createDirectories(root);
        Path file = root.resolve(LOCK_FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this very process (a test running two daemons)
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            throw new IllegalStateException("another berthd is already running with " + what + " " + root
                    + " (lock held on " + file + "); give this one its own --data-root, --exec-root and -H");
        }
        return ch; // closing the channel releases the lock
    }

    private static void closeAll(List<FileChannel> channels) throws IOException {
        IOException first = null;
        for (FileChannel ch : channels.reversed()) {
            try {
                ch.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    @Override
    public void close() throws IOException {
        closeAll(held);
    }
}
