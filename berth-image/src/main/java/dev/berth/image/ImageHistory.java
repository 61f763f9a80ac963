package dev.berth.image;

import dev.berth.common.EngineException;
import dev.berth.common.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The {@code history} of an image config (OCI image spec, config.md), oldest first. */
record ImageHistory(Instant created, String createdBy, String comment, boolean emptyLayer) {

    static List<ImageHistory> parse(byte[] config) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(config);
        } catch (RuntimeException e) {
            throw EngineException.failure("unreadable image config: %s", e.getMessage());
        }
        var out = new ArrayList<ImageHistory>();
        for (JsonNode h : root.path("history")) {
            out.add(new ImageHistory(instant(h.path("created").asString("")), h.path("created_by").asString(""),
                    h.path("comment").asString(""), h.path("empty_layer").asBoolean(false)));
        }
        return out;
    }

    private static Instant instant(String s) {
        try {
            return s.isEmpty() ? Instant.EPOCH : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
