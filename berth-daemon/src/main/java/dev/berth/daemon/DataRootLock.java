package dev.berth.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per data root: an exclusive lock on {@code <data-root>/berthd.lock}, held for the daemon's life. The
 * kernel drops it when the process dies, even by {@code kill -9}, so a crash never leaves a stale lock behind.
 */
final class DataRootLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataRootLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataRootLock acquire(Path dataRoot) throws IOException {
        Files.createDirectories(dataRoot);
        Path file = dataRoot.resolve("berthd.lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = ch.tryLock();
        if (l == null) {
            ch.close();
            throw new IllegalStateException("another berthd is already running with data root " + dataRoot
                    + " (lock held on " + file + "); give this one its own --data-root, --exec-root and -H");
        }
        return new DataRootLock(ch, l);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
