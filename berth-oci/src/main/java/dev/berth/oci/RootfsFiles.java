package dev.berth.oci;

import dev.berth.common.EngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Reads a file of a container's rootfs the way the container would see it: symlinks are followed, but resolved inside
 * the rootfs, so {@code /etc/passwd -> /host/secret} names {@code <rootfs>/host/secret} and {@code ../../..} stops at
 * the rootfs (moby's {@code FollowSymlinkInScope}). An image can therefore never make the engine read a host file.
 */
final class RootfsFiles {
    private RootfsFiles() {}

    /** Linux gives up after 40 links in one lookup; moby's scope walker after 255. */
    private static final int MAX_LINKS = 255;

    /** The file's text, or empty when it does not exist or is not a regular file (a FIFO would block us). */
    static Optional<String> read(Path rootfs, String pathInContainer) {
        var path = resolveInScope(rootfs, pathInContainer);
        try {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            // NOFOLLOW_LINKS: if the last component was swapped for a symlink since we resolved it, refuse it.
            try (var in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw EngineException.failure("cannot read %s in the container's rootfs: %s", pathInContainer, e.getMessage());
        }
    }

    /**
     * {@code pathInContainer} resolved under {@code rootfs}, following symlinks within it. A path whose remainder
     * does not exist is returned as if it did (the caller finds it missing).
     */
    static Path resolveInScope(Path rootfs, String pathInContainer) {
        var resolved = new ArrayList<String>();
        Deque<String> pending = new ArrayDeque<>(components(pathInContainer));
        int links = 0;
        while (!pending.isEmpty()) {
            var c = pending.removeFirst();
            if (c.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.removeLast();
                }
                continue;
            }
            var candidate = join(rootfs, resolved).resolve(c);
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                // Missing: nothing below it can be a symlink either.
                resolved.add(c);
                resolved.addAll(pending);
                return join(rootfs, resolved);
            }
            if (!attrs.isSymbolicLink()) {
                resolved.add(c);
                continue;
            }
            if (++links > MAX_LINKS) {
                throw EngineException.failure("too many links in %s", pathInContainer);
            }
            String target;
            try {
                target = Files.readSymbolicLink(candidate).toString();
            } catch (IOException e) {
                throw EngineException.failure("cannot read link %s in the container's rootfs: %s", candidate, e.getMessage());
            }
            if (target.startsWith("/")) {
                resolved.clear();
            }
            var targetParts = components(target);
            for (int i = targetParts.size() - 1; i >= 0; i--) {
                pending.addFirst(targetParts.get(i));
            }
        }
        return join(rootfs, resolved);
    }

    private static List<String> components(String path) {
        var out = new ArrayList<String>();
        for (var part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                out.add(part);
            }
        }
        return out;
    }

    private static Path join(Path rootfs, List<String> parts) {
        var p = rootfs;
        for (var part : parts) {
            p = p.resolve(part);
        }
        return p;
    }
}
