package dev.berth.image;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config of an image made by {@code docker commit}: the parent image's config JSON with every field it has kept
 * (history, rootfs and whatever else its builder wrote), the runtime settings replaced by the container's, one more
 * history entry, and the new layer's diff_id (none for an empty layer, whose history entry says so, as moby does).
 */
final class CommitConfig {
    private CommitConfig() {}

    /** The sha256 of an empty layer tar (two zero blocks), as Go's archive/tar writes it. */
    static final String EMPTY_LAYER_DIFF_ID = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

    @SuppressWarnings("unchecked")
    static byte[] derive(byte[] parentConfig, ImageService.CommitOptions options, String diffId, Instant created) {
        Map<String, Object> root;
        try {
            root = new LinkedHashMap<>(Json.MAPPER.readValue(parentConfig, Map.class));
        } catch (RuntimeException e) {
            throw EngineException.failure("unreadable config of the container's image: %s", e.getMessage());
        }
        boolean empty = diffId == null || diffId.equals(EMPTY_LAYER_DIFF_ID);
        if (root.get("architecture") == null) root.put("architecture", ConfigFile.hostArchitecture());
        put(root, "author", options.author());
        put(root, "comment", options.comment());
        root.put("config", ConfigFile.configJson(options.config() == null ? ImageConfig.EMPTY : options.config()));
        root.put("container", options.containerId());
        root.put("created", created.toString());
        var history = new ArrayList<Object>(root.get("history") instanceof List<?> l ? l : List.of());
        var entry = new LinkedHashMap<String, Object>();
        entry.put("created", created.toString());
        put(entry, "author", options.author());
        put(entry, "created_by", options.createdBy());
        put(entry, "comment", options.comment());
        if (empty) entry.put("empty_layer", true);
        history.add(entry);
        root.put("history", history);
        if (root.get("os") == null) root.put("os", "linux");
        var rootfs = new LinkedHashMap<String, Object>(root.get("rootfs") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
        var diffIds = new ArrayList<Object>(rootfs.get("diff_ids") instanceof List<?> l ? l : List.of());
        if (!empty) diffIds.add(diffId);
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", diffIds);
        root.put("rootfs", rootfs);
        return Json.write(root);
    }

    private static void put(Map<String, Object> m, String key, String value) {
        if (value == null || value.isEmpty()) m.remove(key);
        else m.put(key, value);
    }
}
