package dev.berth.cli;

import dev.berth.client.Query;
import dev.berth.format.Formatter;
import dev.berth.format.TemplateFields;
import dev.berth.format.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code berth volume ...}: the group and its commands, over the Engine API's /volumes endpoints. */
final class VolumeCommands {
    private VolumeCommands() {
    }

    @Command(name = "volume", description = "Manage volumes")
    static final class Group extends CliCommand {
        Group(Session session) {
            super(session);
        }

        @Override
        int run() {
            return usage();
        }
    }

    @Command(name = "create", description = "Create a volume", customSynopsis = "berth volume create [OPTIONS] [VOLUME]")
    static final class Create extends CliCommand {
        @Option(names = {"-d", "--driver"}, paramLabel = "string", defaultValue = "local", description = "Specify volume driver name (default \"local\")")
        String driver;

        @Option(names = "--label", paramLabel = "list", description = "Set metadata for a volume")
        List<String> labels = new ArrayList<>();

        @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options")
        List<String> options = new ArrayList<>();

        @Option(names = "--name", paramLabel = "string", description = "Specify volume name")
        String nameFlag;

        @Parameters(arity = "0..1", paramLabel = "VOLUME")
        String name;

        Create(Session session) {
            super(session);
        }

        @Override
        int run() {
            if (name != null && nameFlag != null && !name.equals(nameFlag)) {
                throw new UsageError("conflicting options: either specify --name or provide positional arg, not both");
            }
            String volume = name != null ? name : nameFlag;
            var body = new LinkedHashMap<String, Object>();
            body.put("Name", volume == null ? "" : volume);
            body.put("Driver", driver);
            body.put("DriverOpts", KeyValues.parse(options, "--opt"));
            body.put("Labels", KeyValues.parse(labels, "--label"));
            session.out.println(client().post("/volumes/create", body).path("Name").asString());
            return 0;
        }
    }

    /** A row of {@code volume ls}: docker/cli's volumeContext. */
    record Row(JsonNode v) implements TemplateFields {
        static final String DEFAULT_TABLE = "table {{.Driver}}\t{{.Name}}";
        static final Map<String, String> HEADERS = Map.of("Name", "VOLUME NAME", "Driver", "DRIVER", "Scope", "SCOPE",
                "Mountpoint", "MOUNTPOINT", "Labels", "LABELS", "Links", "LINKS", "Size", "SIZE");
        private static final Set<String> FIELDS = new TreeSet<>(List.of("Driver", "Labels", "Links", "Mountpoint", "Name", "Scope", "Size"));

        @Override
        public Object field(String name) {
            return switch (name) {
                case "Name" -> v.path("Name").asString();
                case "Driver" -> v.path("Driver").asString();
                case "Scope" -> v.path("Scope").asString("local");
                case "Mountpoint" -> v.path("Mountpoint").asString();
                case "Labels" -> KeyValues.join(v.path("Labels"));
                case "Links" -> v.path("UsageData").has("RefCount") ? Long.toString(v.path("UsageData").path("RefCount").asLong()) : "N/A";
                case "Size" -> v.path("UsageData").path("Size").asLong(-1) < 0 ? "N/A" : Units.humanSize(v.path("UsageData").path("Size").asLong());
                default -> NO_SUCH_FIELD;
            };
        }

        @Override
        public Object call(String name, List<Object> args) {
            if (name.equals("Label") && args.size() == 1) return v.path("Labels").path(String.valueOf(args.getFirst())).asString("");
            return TemplateFields.super.call(name, args);
        }

        @Override
        public Set<String> fieldNames() {
            return FIELDS;
        }

        @Override
        public String typeName() {
            return "*formatter.volumeContext";
        }
    }

    @Command(name = "ls", aliases = "list", description = "List volumes", customSynopsis = "berth volume ls [OPTIONS]")
    static final class Ls extends CliCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only display volume names")
        boolean quiet;

        @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"dangling=true\")")
        List<String> filters = new ArrayList<>();

        @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
        String format;

        Ls(Session session) {
            super(session);
        }

        @Override
        int run() {
            JsonNode reply = client().get("/volumes" + Query.of().add("filters", Filters.toJson(filters)));
            var rows = new ArrayList<Row>();
            reply.path("Volumes").forEach(v -> rows.add(new Row(v)));
            String f = quiet && (format == null || format.isEmpty()) ? "{{.Name}}" : format;
            new Formatter(f, Row.DEFAULT_TABLE, Row.HEADERS).write(rows, session.out);
            reply.path("Warnings").forEach(w -> session.err.println("WARNING: " + w.asString()));
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more volumes",
            customSynopsis = "berth volume inspect [OPTIONS] VOLUME [VOLUME...]")
    static final class Inspect extends CliCommand {
        @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template")
        String format;

        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        Inspect(Session session) {
            super(session);
        }

        @Override
        int run() {
            return Inspection.print(session, format, names, n -> Inspection.getOrNull(session, "/volumes/" + n),
                    n -> String.format("Error response from daemon: get %s: no such volume", n));
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more volumes",
            customSynopsis = "berth volume rm [OPTIONS] VOLUME [VOLUME...]")
    static final class Rm extends CliCommand {
        @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        Rm(Session session) {
            super(session);
        }

        @Override
        int run() throws Exception {
            return forEach(names, n -> {
                client().delete("/volumes/" + n + Query.of().add("force", force));
                session.out.println(n);
            });
        }
    }

    @Command(name = "prune", description = "Remove unused local volumes", customSynopsis = "berth volume prune [OPTIONS]")
    static final class Prune extends CliCommand {
        @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones")
        boolean all;

        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;

        @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<label>\")")
        List<String> filters = new ArrayList<>();

        Prune(Session session) {
            super(session);
        }

        @Override
        int run() throws Exception {
            if (!force && !Prompt.confirm(session, all ? "WARNING! This will remove all local volumes not used by at least one container."
                    : "WARNING! This will remove anonymous local volumes not used by at least one container.")) {
                return 0;
            }
            var flags = new ArrayList<>(filters);
            if (all) flags.add("all=true");
            JsonNode reply = client().post("/volumes/prune" + Query.of().add("filters", Filters.toJson(flags)), null);
            PruneReport.names(session, "Deleted Volumes:", reply.path("VolumesDeleted"));
            PruneReport.reclaimed(session, reply.path("SpaceReclaimed").asLong(0));
            return 0;
        }
    }
}
