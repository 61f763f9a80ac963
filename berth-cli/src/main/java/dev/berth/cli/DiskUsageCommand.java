package dev.berth.cli;

import dev.berth.format.Formatter;
import dev.berth.format.TabWriter;
import dev.berth.format.TemplateFields;
import dev.berth.format.Units;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "df", description = "Show disk usage", customSynopsis = "berth system df [OPTIONS]")
final class DiskUsageCommand extends CliCommand {
    static final String DEFAULT_TABLE = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    static final Map<String, String> HEADERS = Map.of("Type", "TYPE", "TotalCount", "TOTAL", "Active", "ACTIVE",
            "Size", "SIZE", "Reclaimable", "RECLAIMABLE");

    @Option(names = {"-v", "--verbose"}, description = "Show detailed information on space usage")
    boolean verbose;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template")
    String format;

    DiskUsageCommand(Session session) {
        super(session);
    }

    /** One line of the summary, with docker/cli's diskUsage*Context arithmetic. */
    record Line(String type, long total, long active, long size, long reclaimable) implements TemplateFields {
        private static final Set<String> FIELDS = new TreeSet<>(List.of("Active", "Reclaimable", "Size", "TotalCount", "Type"));

        @Override
        public Object field(String name) {
            return switch (name) {
                case "Type" -> type;
                case "TotalCount" -> Long.toString(total);
                case "Active" -> Long.toString(active);
                case "Size" -> Units.humanSize(size);
                case "Reclaimable" -> size > 0 && !type.equals("Build Cache")
                        ? Units.humanSize(reclaimable) + " (" + reclaimable * 100 / size + "%)" : Units.humanSize(reclaimable);
                default -> NO_SUCH_FIELD;
            };
        }

        @Override
        public Set<String> fieldNames() {
            return FIELDS;
        }

        @Override
        public String typeName() {
            return "*formatter.diskUsageContext";
        }
    }

    static List<Line> summary(JsonNode df) {
        long layers = df.path("LayersSize").asLong();
        long imagesActive = 0;
        long imagesUsed = 0;
        for (JsonNode i : df.path("Images")) {
            if (i.path("Containers").asLong() == 0) continue;
            imagesActive++;
            long size = i.path("Size").asLong(-1);
            long shared = i.path("SharedSize").asLong(-1);
            if (size >= 0 && shared >= 0) imagesUsed += size - shared;
        }
        long containersActive = 0;
        long containersSize = 0;
        long containersReclaimable = 0;
        for (JsonNode c : df.path("Containers")) {
            String state = c.path("State").asString();
            boolean active = state.equals("running") || state.equals("paused") || state.equals("restarting");
            long rw = Math.max(0, c.path("SizeRw").asLong(0));
            containersSize += rw;
            if (active) containersActive++;
            else containersReclaimable += rw;
        }
        long volumesActive = 0;
        long volumesSize = 0;
        long volumesReclaimable = 0;
        for (JsonNode v : df.path("Volumes")) {
            long size = Math.max(0, v.path("UsageData").path("Size").asLong(0));
            volumesSize += size;
            if (v.path("UsageData").path("RefCount").asLong(0) > 0) volumesActive++;
            else volumesReclaimable += size;
        }
        long cacheSize = 0;
        long cacheReclaimable = 0;
        for (JsonNode b : df.path("BuildCache")) {
            cacheSize += b.path("Size").asLong(0);
            if (!b.path("InUse").asBoolean()) cacheReclaimable += b.path("Size").asLong(0);
        }
        return List.of(
                new Line("Images", df.path("Images").size(), imagesActive, layers, layers - imagesUsed),
                new Line("Containers", df.path("Containers").size(), containersActive, containersSize, containersReclaimable),
                new Line("Local Volumes", df.path("Volumes").size(), volumesActive, volumesSize, volumesReclaimable),
                new Line("Build Cache", df.path("BuildCache").size(), 0, cacheSize, cacheReclaimable));
    }

    @Override
    int run() {
        JsonNode df = client().get("/system/df");
        if (!verbose) {
            new Formatter(format, DEFAULT_TABLE, HEADERS).write(summary(df), session.out);
            return 0;
        }
        var tw = TabWriter.docker(session.out);
        tw.append("Images space usage:\n\nREPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\tSHARED SIZE\tUNIQUE SIZE\tCONTAINERS\n");
        for (JsonNode i : df.path("Images")) {
            for (ImageRow r : ImagesCommand.rows(i, true)) {
                tw.append(r.field("Repository") + "\t" + r.field("Tag") + "\t" + r.field("ID") + "\t" + r.field("CreatedSince")
                        + "\t" + r.field("Size") + "\t" + r.field("SharedSize") + "\t" + r.field("UniqueSize") + "\t"
                        + r.field("Containers") + "\n");
            }
        }
        tw.append("\nContainers space usage:\n\nCONTAINER ID\tIMAGE\tCOMMAND\tLOCAL VOLUMES\tSIZE\tCREATED\tSTATUS\tNAMES\n");
        for (JsonNode c : df.path("Containers")) {
            var r = new ContainerRow(c, true);
            tw.append(r.field("ID") + "\t" + r.field("Image") + "\t" + r.field("Command") + "\t" + r.field("LocalVolumes")
                    + "\t" + Units.humanSize(Math.max(0, c.path("SizeRw").asLong(0))) + "\t" + r.field("RunningFor") + "\t"
                    + r.field("Status") + "\t" + r.field("Names") + "\n");
        }
        tw.append("\nLocal Volumes space usage:\n\nVOLUME NAME\tLINKS\tSIZE\n");
        for (JsonNode v : df.path("Volumes")) {
            tw.append(v.path("Name").asString() + "\t" + v.path("UsageData").path("RefCount").asLong() + "\t"
                    + Units.humanSize(Math.max(0, v.path("UsageData").path("Size").asLong(0))) + "\n");
        }
        tw.append("\nBuild cache usage: 0B\n");
        tw.flush();
        return 0;
    }
}
