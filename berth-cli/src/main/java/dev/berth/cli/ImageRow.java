package dev.berth.cli;

import dev.berth.common.HumanTime;
import dev.berth.format.TemplateFields;
import dev.berth.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** One row of {@code images}: docker/cli's ImageContext for one repository:tag of an image summary. */
record ImageRow(JsonNode image, String repository, String tag, String digest, boolean trunc) implements TemplateFields {
    static final String DEFAULT_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    static final String DIGEST_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    static final Map<String, String> HEADERS = Map.of("Repository", "REPOSITORY", "Tag", "TAG", "Digest", "DIGEST",
            "ID", "IMAGE ID", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT", "Size", "SIZE",
            "Containers", "CONTAINERS", "SharedSize", "SHARED SIZE", "UniqueSize", "UNIQUE SIZE");
    private static final Set<String> FIELDS = new TreeSet<>(List.of("Containers", "CreatedAt", "CreatedSince", "Digest",
            "ID", "Repository", "SharedSize", "Size", "Tag", "UniqueSize", "VirtualSize"));

    @Override
    public Object field(String name) {
        return switch (name) {
            case "Repository" -> repository;
            case "Tag" -> tag;
            case "Digest" -> digest;
            case "ID" -> trunc ? ImageNames.shortId(image.path("Id").asString()) : image.path("Id").asString();
            case "CreatedSince" -> HumanTime.duration(Duration.between(Instant.ofEpochSecond(created()), Instant.now())) + " ago";
            case "CreatedAt" -> GoText.time(created());
            case "Size", "VirtualSize" -> Units.humanSize(image.path("Size").asLong(0), 3);
            case "SharedSize" -> sizeOrNa(image.path("SharedSize").asLong(-1));
            case "UniqueSize" -> sizeOrNa(image.path("Size").asLong(0) - Math.max(0, image.path("SharedSize").asLong(0)));
            case "Containers" -> image.path("Containers").asLong(-1) < 0 ? "N/A" : Long.toString(image.path("Containers").asLong());
            default -> NO_SUCH_FIELD;
        };
    }

    @Override
    public Set<String> fieldNames() {
        return FIELDS;
    }

    @Override
    public String typeName() {
        return "*formatter.ImageContext";
    }

    private long created() {
        return image.path("Created").asLong();
    }

    private static String sizeOrNa(long size) {
        return size < 0 ? "N/A" : Units.humanSize(size, 3);
    }
}
