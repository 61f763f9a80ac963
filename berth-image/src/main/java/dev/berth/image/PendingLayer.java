package dev.berth.image;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A layer that is unpacked but not yet part of the store: nothing sees it until
 * {@link OverlayLayerStore#commit(PendingLayer, String)} renames it into place. Closing an uncommitted one deletes
 * it, so {@code try (var pending = store.unpack(in)) { ... store.commit(pending, null); }} leaves nothing behind on
 * failure. A crash in between leaves a temporary directory that the store sweeps at its next start.
 */
public final class PendingLayer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PendingLayer.class);

    private final Path dir;
    private final Digest diffId;
    private final long size;
    private boolean done;

    PendingLayer(Path dir, Digest diffId, long size) {
        this.dir = dir;
        this.diffId = diffId;
        this.size = size;
    }

    public Digest diffId() {
        return diffId;
    }

    public long size() {
        return size;
    }

    /** The temporary directory: {@code diff/} holds the content. */
    Path dir() {
        return dir;
    }

    /** Called by the store once the directory has been renamed into place or dropped as a duplicate. */
    void markDone() {
        done = true;
    }

    boolean isDone() {
        return done;
    }

    @Override
    public void close() {
        if (done) return;
        done = true;
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("could not delete the unpacked layer {} (swept at the next start): {}", dir, e.getMessage());
        }
    }
}
