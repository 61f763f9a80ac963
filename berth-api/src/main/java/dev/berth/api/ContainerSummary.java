package dev.berth.api;

import java.util.List;
import java.util.Map;

/** One row of {@code GET /containers/json}. */
public record ContainerSummary(
        String id,
        List<String> names,
        String image,
        String imageID,
        String command,
        long created,
        List<Object> ports,
        Long sizeRw,
        Long sizeRootFs,
        Map<String, String> labels,
        String state,
        String status,
        Map<String, String> hostConfig,
        Map<String, Object> networkSettings,
        List<Object> mounts) {}
