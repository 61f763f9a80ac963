package dev.berth.image;

import dev.berth.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which image an image was made from, as dockerd keeps it beside its image store ({@code docker commit} records the
 * container's image; it shows as {@code Parent} in inspect and chains the ids {@code docker history} shows): one file
 * per child image, {@code <root>/<child hex>}, holding the parent's id. Not part of the image config, so the image's
 * id does not depend on it. Written before the child's config (the commit point) and removed after it: a link
 * whose child never came or went is dropped at start.
 */
final class ImageParents {
    private static final Logger log = LoggerFactory.getLogger(ImageParents.class);

    private final Path dir;

    ImageParents(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + dir + ": " + e.getMessage(), e);
        }
        AtomicFiles.sweepTemporaries(dir);
    }

    void put(Digest child, String parentId) {
        AtomicFiles.write(dir.resolve(child.hex()), parentId.getBytes(StandardCharsets.US_ASCII));
    }

    void delete(Digest child) {
        try {
            if (Files.deleteIfExists(dir.resolve(child.hex()))) AtomicFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting the parent link of " + child + ": " + e.getMessage(), e);
        }
    }

    /** Every link, child id to parent id; unreadable ones are skipped (the image then has no parent). */
    Map<String, String> all() {
        var out = new HashMap<String, String>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                try {
                    Digest child = Digest.parse(Digest.SHA256 + ":" + f.getFileName());
                    String parent = Files.readString(f, StandardCharsets.US_ASCII).strip();
                    out.put(child.toString(), Digest.parse(parent).toString());
                } catch (RuntimeException | IOException e) {
                    log.warn("ignoring the parent link {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
