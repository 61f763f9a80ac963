package dev.berth.image;

import dev.berth.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small blobs addressed by their sha256, at {@code <root>/sha256/<hex>}: image configs today. A blob is written
 * whole (temp, fsync, rename) and checked against its name when read, so a torn or altered file is never served.
 * Safe for concurrent use: writing the same digest twice writes the same bytes.
 */
public final class ContentStore {
    private static final Logger log = LoggerFactory.getLogger(ContentStore.class);

    private final Path dir;

    public ContentStore(Path root) {
        this.dir = root.resolve(Digest.SHA256);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + dir + ": " + e.getMessage(), e);
        }
        AtomicFiles.sweepTemporaries(dir);
    }

    public Digest put(byte[] content) {
        Digest digest = Digest.of(content);
        Path file = dir.resolve(digest.hex());
        if (!Files.exists(file)) AtomicFiles.write(file, content);
        return digest;
    }

    /** The blob, or empty if it is missing or does not match its digest. */
    public Optional<byte[]> get(Digest digest) {
        Path file = dir.resolve(digest.hex());
        try {
            byte[] content = Files.readAllBytes(file);
            if (!Digest.of(content).equals(digest)) {
                log.warn("blob {} does not match its digest; ignoring it", file);
                return Optional.empty();
            }
            return Optional.of(content);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading blob " + digest + ": " + e.getMessage(), e);
        }
    }

    public void delete(Digest digest) {
        try {
            Files.deleteIfExists(dir.resolve(digest.hex()));
            AtomicFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting blob " + digest + ": " + e.getMessage(), e);
        }
    }

    public List<Digest> list() {
        var out = new ArrayList<Digest>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                try {
                    out.add(new Digest(name));
                } catch (RuntimeException e) {
                    log.warn("ignoring {} in the content store: not a digest", f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
