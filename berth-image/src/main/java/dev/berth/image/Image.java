package dev.berth.image;

import java.time.Instant;
import java.util.List;

/**
 * An image as the engine sees it. {@code layers} are the uncompressed layer digests (the config's rootfs diff_ids),
 * lowest first; {@code chainId} names the topmost layer of that stack in the layer store.
 */
public record Image(
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        String parent,
        String comment,
        Instant created,
        String author,
        String architecture,
        String os,
        ImageConfig config,
        List<String> layers,
        String chainId,
        long size) {
}
