package dev.berth.api;

import java.util.List;
import java.util.Map;

/** One row of {@code GET /images/json}. */
public record ImageSummary(
        String id,
        String parentId,
        List<String> repoTags,
        List<String> repoDigests,
        long created,
        long size,
        long sharedSize,
        long virtualSize,
        Map<String, String> labels,
        long containers) {}
