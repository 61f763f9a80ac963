package dev.berth.cli;

import dev.berth.client.Query;
import dev.berth.common.HumanTime;
import dev.berth.format.Formatter;
import dev.berth.format.TemplateFields;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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

/** {@code berth network ...}: the group and its commands, over the Engine API's /networks endpoints. */
final class NetworkCommands {
    private NetworkCommands() {
    }

    @Command(name = "network", description = "Manage networks")
    static final class Group extends CliCommand {
        Group(Session session) {
            super(session);
        }

        @Override
        int run() {
            return usage();
        }
    }

    @Command(name = "create", description = "Create a network", customSynopsis = "berth network create [OPTIONS] NETWORK")
    static final class Create extends CliCommand {
        @Option(names = {"-d", "--driver"}, paramLabel = "string", defaultValue = "bridge", description = "Driver to manage the Network (default \"bridge\")")
        String driver;

        @Option(names = "--subnet", paramLabel = "strings", description = "Subnet in CIDR format that represents a network segment")
        List<String> subnets = new ArrayList<>();

        @Option(names = "--gateway", paramLabel = "strings", description = "IPv4 or IPv6 Gateway for the master subnet")
        List<String> gateways = new ArrayList<>();

        @Option(names = "--ip-range", paramLabel = "strings", description = "Allocate container ip from a sub-range")
        List<String> ipRanges = new ArrayList<>();

        @Option(names = "--internal", description = "Restrict external access to the network")
        boolean internal;

        @Option(names = "--attachable", description = "Enable manual container attachment")
        boolean attachable;

        @Option(names = "--ipv6", description = "Enable or disable IPv6 networking")
        boolean ipv6;

        @Option(names = "--label", paramLabel = "list", description = "Set metadata on a network")
        List<String> labels = new ArrayList<>();

        @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options")
        List<String> options = new ArrayList<>();

        @Parameters(index = "0", paramLabel = "NETWORK")
        String name;

        Create(Session session) {
            super(session);
        }

        @Override
        int run() {
            if (gateways.size() > subnets.size() || ipRanges.size() > subnets.size()) {
                throw new UsageError("every --gateway and --ip-range needs a --subnet");
            }
            var configs = new ArrayList<Map<String, String>>();
            for (int i = 0; i < subnets.size(); i++) {
                var c = new LinkedHashMap<String, String>();
                c.put("Subnet", subnets.get(i));
                if (i < gateways.size()) c.put("Gateway", gateways.get(i));
                if (i < ipRanges.size()) c.put("IPRange", ipRanges.get(i));
                configs.add(c);
            }
            var body = new LinkedHashMap<String, Object>();
            body.put("Name", name);
            body.put("Driver", driver);
            body.put("Internal", internal);
            body.put("Attachable", attachable);
            body.put("EnableIPv6", ipv6);
            body.put("IPAM", Map.of("Driver", "default", "Config", configs));
            body.put("Options", KeyValues.parse(options, "--opt"));
            body.put("Labels", KeyValues.parse(labels, "--label"));
            JsonNode reply = client().post("/networks/create", body);
            if (!reply.path("Warning").asString("").isEmpty()) session.err.println("WARNING: " + reply.path("Warning").asString());
            session.out.println(reply.path("Id").asString());
            return 0;
        }
    }

    /** A row of {@code network ls}: docker/cli's networkContext. */
    record Row(JsonNode n, boolean trunc) implements TemplateFields {
        static final String DEFAULT_TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
        static final Map<String, String> HEADERS = Map.of("ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER",
                "Scope", "SCOPE", "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT");
        private static final Set<String> FIELDS = new TreeSet<>(List.of("CreatedAt", "Driver", "ID", "IPv6", "Internal", "Labels", "Name", "Scope"));

        @Override
        public Object field(String name) {
            return switch (name) {
                case "ID" -> trunc ? ImageNames.shortId(n.path("Id").asString()) : n.path("Id").asString();
                case "Name" -> n.path("Name").asString();
                case "Driver" -> n.path("Driver").asString();
                case "Scope" -> n.path("Scope").asString("local");
                case "IPv6" -> Boolean.toString(n.path("EnableIPv6").asBoolean());
                case "Internal" -> Boolean.toString(n.path("Internal").asBoolean());
                case "Labels" -> KeyValues.join(n.path("Labels"));
                case "CreatedAt" -> created();
                default -> NO_SUCH_FIELD;
            };
        }

        private String created() {
            String c = n.path("Created").asString("");
            if (c.isEmpty()) return "";
            try {
                return GoText.time(OffsetDateTime.parse(c).toEpochSecond());
            } catch (RuntimeException e) {
                return c;
            }
        }

        @Override
        public Object call(String name, List<Object> args) {
            if (name.equals("Label") && args.size() == 1) return n.path("Labels").path(String.valueOf(args.getFirst())).asString("");
            return TemplateFields.super.call(name, args);
        }

        @Override
        public Set<String> fieldNames() {
            return FIELDS;
        }

        @Override
        public String typeName() {
            return "*formatter.networkContext";
        }
    }

    @Command(name = "ls", aliases = "list", description = "List networks", customSynopsis = "berth network ls [OPTIONS]")
    static final class Ls extends CliCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only display network IDs")
        boolean quiet;

        @Option(names = "--no-trunc", description = "Do not truncate the output")
        boolean noTrunc;

        @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"driver=bridge\")")
        List<String> filters = new ArrayList<>();

        @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
        String format;

        Ls(Session session) {
            super(session);
        }

        @Override
        int run() {
            var rows = new ArrayList<Row>();
            client().get("/networks" + Query.of().add("filters", Filters.toJson(filters))).forEach(n -> rows.add(new Row(n, !noTrunc)));
            // Docker lists networks by name.
            rows.sort(java.util.Comparator.comparing(r -> r.n().path("Name").asString()));
            String f = quiet && (format == null || format.isEmpty()) ? "{{.ID}}" : format;
            new Formatter(f, Row.DEFAULT_TABLE, Row.HEADERS).write(rows, session.out);
            return 0;
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more networks",
            customSynopsis = "berth network inspect [OPTIONS] NETWORK [NETWORK...]")
    static final class Inspect extends CliCommand {
        @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template")
        String format;

        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        Inspect(Session session) {
            super(session);
        }

        @Override
        int run() {
            return Inspection.print(session, format, names, n -> Inspection.getOrNull(session, "/networks/" + n),
                    n -> String.format("Error response from daemon: network %s not found", n));
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove one or more networks",
            customSynopsis = "berth network rm NETWORK [NETWORK...]")
    static final class Rm extends CliCommand {
        @Option(names = {"-f", "--force"}, description = "Do not error if the network does not exist")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        Rm(Session session) {
            super(session);
        }

        @Override
        int run() throws Exception {
            return forEach(names, n -> {
                try {
                    client().delete("/networks/" + n);
                } catch (dev.berth.client.EngineException e) {
                    if (force && e.status() == 404) return;
                    throw e;
                }
                session.out.println(n);
            });
        }
    }

    @Command(name = "connect", description = "Connect a container to a network",
            customSynopsis = "berth network connect [OPTIONS] NETWORK CONTAINER")
    static final class Connect extends CliCommand {
        @Option(names = "--alias", paramLabel = "strings", description = "Add network-scoped alias for the container")
        List<String> aliases = new ArrayList<>();

        @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., \"172.30.100.104\")")
        String ip;

        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        Connect(Session session) {
            super(session);
        }

        @Override
        int run() {
            var endpoint = new LinkedHashMap<String, Object>();
            endpoint.put("Aliases", aliases);
            if (ip != null) endpoint.put("IPAMConfig", Map.of("IPv4Address", ip));
            client().post("/networks/" + network + "/connect", Map.of("Container", container, "EndpointConfig", endpoint));
            return 0;
        }
    }

    @Command(name = "disconnect", description = "Disconnect a container from a network",
            customSynopsis = "berth network disconnect [OPTIONS] NETWORK CONTAINER")
    static final class Disconnect extends CliCommand {
        @Option(names = {"-f", "--force"}, description = "Force the container to disconnect from a network")
        boolean force;

        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        Disconnect(Session session) {
            super(session);
        }

        @Override
        int run() {
            client().post("/networks/" + network + "/disconnect", Map.of("Container", container, "Force", force));
            return 0;
        }
    }

    @Command(name = "prune", description = "Remove all unused networks", customSynopsis = "berth network prune [OPTIONS]")
    static final class Prune extends CliCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;

        @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
        List<String> filters = new ArrayList<>();

        Prune(Session session) {
            super(session);
        }

        @Override
        int run() throws Exception {
            if (!force && !Prompt.confirm(session, "WARNING! This will remove all custom networks not used by at least one container.")) {
                return 0;
            }
            JsonNode reply = client().post("/networks/prune" + Query.of().add("filters", Filters.toJson(filters)), null);
            PruneReport.names(session, "Deleted Networks:", reply.path("NetworksDeleted"));
            return 0;
        }
    }
}
