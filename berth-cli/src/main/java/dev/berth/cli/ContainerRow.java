package dev.berth.cli;

import dev.berth.common.HumanTime;
import dev.berth.format.TemplateFields;
import dev.berth.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** One row of {@code ps}: the fields of docker/cli's ContainerContext over a container summary from the daemon. */
record ContainerRow(JsonNode c, boolean trunc) implements TemplateFields {
    static final String DEFAULT_TABLE = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    static final java.util.Map<String, String> HEADERS = java.util.Map.ofEntries(
            java.util.Map.entry("ID", "CONTAINER ID"), java.util.Map.entry("Image", "IMAGE"),
            java.util.Map.entry("Command", "COMMAND"), java.util.Map.entry("CreatedAt", "CREATED AT"),
            java.util.Map.entry("RunningFor", "CREATED"), java.util.Map.entry("Ports", "PORTS"),
            java.util.Map.entry("State", "STATE"), java.util.Map.entry("Status", "STATUS"),
            java.util.Map.entry("Size", "SIZE"), java.util.Map.entry("Names", "NAMES"),
            java.util.Map.entry("Labels", "LABELS"), java.util.Map.entry("Mounts", "MOUNTS"),
            java.util.Map.entry("Networks", "NETWORKS"), java.util.Map.entry("LocalVolumes", "LOCAL VOLUMES"));
    private static final Set<String> FIELDS = new TreeSet<>(List.of("Command", "CreatedAt", "ID", "Image", "Labels",
            "LocalVolumes", "Mounts", "Names", "Networks", "Ports", "RunningFor", "Size", "State", "Status"));

    @Override
    public Object field(String name) {
        return switch (name) {
            case "ID" -> trunc ? c.path("Id").asString().substring(0, 12) : c.path("Id").asString();
            case "Image" -> image();
            case "Command" -> dev.berth.format.GoText.quote(trunc ? GoText.ellipsis(c.path("Command").asString(), 20) : c.path("Command").asString());
            case "CreatedAt" -> GoText.time(c.path("Created").asLong());
            case "RunningFor" -> HumanTime.duration(Duration.between(Instant.ofEpochSecond(c.path("Created").asLong()), Instant.now())) + " ago";
            case "Ports" -> PortsColumn.of(c.path("Ports"));
            case "State" -> c.path("State").asString();
            case "Status" -> c.path("Status").asString();
            case "Size" -> size();
            case "Names" -> names();
            case "Labels" -> KeyValues.join(c.path("Labels"));
            case "Mounts" -> mounts();
            case "Networks" -> String.join(",", new TreeSet<>(c.path("NetworkSettings").path("Networks").propertyNames()));
            case "LocalVolumes" -> Long.toString(localVolumes());
            default -> NO_SUCH_FIELD;
        };
    }

    @Override
    public Object call(String name, List<Object> args) {
        if (name.equals("Label") && args.size() == 1) {
            JsonNode v = c.path("Labels").get(String.valueOf(args.getFirst()));
            return v == null ? "" : v.asString();
        }
        if (name.equals("Label")) throw new dev.berth.format.TemplateException("wrong number of args for Label: want 1 got " + args.size());
        return TemplateFields.super.call(name, args);
    }

    @Override
    public Set<String> fieldNames() {
        return FIELDS;
    }

    @Override
    public String typeName() {
        return "*formatter.ContainerContext";
    }

    private String image() {
        String image = c.path("Image").asString();
        if (image.isEmpty()) return "<no image>";
        if (trunc && image.startsWith("sha256:")) return ImageNames.shortId(image);
        return image;
    }

    private String names() {
        var out = new ArrayList<String>();
        for (JsonNode n : c.path("Names")) {
            String name = n.asString();
            if (name.startsWith("/")) name = name.substring(1);
            // Links show up as /other/alias; Docker lists them only without truncation.
            if (trunc && name.contains("/")) continue;
            out.add(name);
        }
        return String.join(",", out);
    }

    private String size() {
        String rw = Units.humanSize(c.path("SizeRw").asLong(0), 3);
        long root = c.path("SizeRootFs").asLong(0);
        return root > 0 ? rw + " (virtual " + Units.humanSize(root, 3) + ")" : rw;
    }

    private String mounts() {
        var out = new ArrayList<String>();
        for (JsonNode m : c.path("Mounts")) {
            String name = m.path("Name").asString("");
            if (name.isEmpty()) name = m.path("Source").asString("");
            out.add(trunc ? GoText.ellipsis(name, 15) : name);
        }
        return String.join(",", out);
    }

    private long localVolumes() {
        long n = 0;
        for (JsonNode m : c.path("Mounts")) if (m.path("Driver").asString("").equals("local")) n++;
        return n;
    }
}
