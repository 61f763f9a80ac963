package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.format.Template;
import dev.berth.format.Units;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "info", description = "Display system-wide information", customSynopsis = "berth info [OPTIONS]")
final class InfoCommand extends CliCommand {
    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template: 'json', or a Go template")
    String format;

    InfoCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        JsonNode info = client().get("/info");
        if (format != null && !format.isEmpty()) {
            String source = format.equals("json") ? "{{json .}}" : format;
            session.out.println(Template.parse(source).execute(EngineClient.json().treeToValue(info, Object.class)));
            return 0;
        }
        PrintStream out = session.out;
        out.println("Client:");
        out.println(" Version:    " + VersionCommand.CLIENT_VERSION);
        out.println(" Context:    default");
        out.println(" Debug Mode: false");
        out.println();
        out.println("Server:");
        printServer(info, out);
        out.println();
        out.flush();
        // As the Docker CLI: the daemon's warnings after the report, on stderr.
        for (JsonNode w : info.path("Warnings")) session.err.println(w.asString());
        return 0;
    }

    /** The server part in the Docker CLI's layout (docker/cli's prettyPrintServerInfo), for what berthd fills. */
    static void printServer(JsonNode info, PrintStream out) {
        out.println(" Containers: " + info.path("Containers").asLong());
        out.println("  Running: " + info.path("ContainersRunning").asLong());
        out.println("  Paused: " + info.path("ContainersPaused").asLong());
        out.println("  Stopped: " + info.path("ContainersStopped").asLong());
        out.println(" Images: " + info.path("Images").asLong());
        out.println(" Server Version: " + info.path("ServerVersion").asString());
        out.println(" Storage Driver: " + info.path("Driver").asString());
        for (JsonNode pair : info.path("DriverStatus")) out.println("  " + pair.path(0).asString() + ": " + pair.path(1).asString());
        out.println(" Logging Driver: " + info.path("LoggingDriver").asString());
        out.println(" Cgroup Driver: " + info.path("CgroupDriver").asString());
        out.println(" Cgroup Version: " + info.path("CgroupVersion").asString());
        out.println(" Plugins:");
        for (String kind : new String[] {"Volume", "Network", "Log"}) {
            var names = new java.util.ArrayList<String>();
            info.path("Plugins").path(kind).forEach(n -> names.add(n.asString()));
            out.println("  " + kind + ": " + String.join(" ", names));
        }
        out.println(" Swarm: " + info.path("Swarm").path("LocalNodeState").asString("inactive"));
        out.println(" Runtimes: " + String.join(" ", info.path("Runtimes").propertyNames()));
        out.println(" Default Runtime: " + info.path("DefaultRuntime").asString());
        out.println(" Init Binary: " + info.path("InitBinary").asString());
        out.println(" runc version: " + info.path("RuncCommit").path("ID").asString());
        out.println(" Security Options:");
        for (JsonNode o : info.path("SecurityOptions")) printSecurityOption(o.asString(), out);
        out.println(" Kernel Version: " + info.path("KernelVersion").asString());
        out.println(" Operating System: " + info.path("OperatingSystem").asString());
        out.println(" OSType: " + info.path("OSType").asString());
        out.println(" Architecture: " + info.path("Architecture").asString());
        out.println(" CPUs: " + info.path("NCPU").asLong());
        out.println(" Total Memory: " + Units.bytesSize(info.path("MemTotal").asLong()));
        out.println(" Name: " + info.path("Name").asString());
        out.println(" ID: " + info.path("ID").asString());
        out.println(" Berth Root Dir: " + info.path("DockerRootDir").asString());
        out.println(" Debug Mode: " + info.path("Debug").asBoolean());
        for (String[] proxy : new String[][] {{"HttpProxy", "HTTP Proxy"}, {"HttpsProxy", "HTTPS Proxy"}, {"NoProxy", "No Proxy"}}) {
            String value = info.path(proxy[0]).asString("");
            if (!value.isEmpty()) out.println(" " + proxy[1] + ": " + value);
        }
        list(out, " Labels:", info.path("Labels"));
        out.println(" Experimental: " + info.path("ExperimentalBuild").asBoolean());
        var insecure = new java.util.ArrayList<String>();
        for (var index : info.path("RegistryConfig").path("IndexConfigs").properties()) {
            if (!index.getValue().path("Secure").asBoolean(true)) insecure.add(index.getKey());
        }
        info.path("RegistryConfig").path("InsecureRegistryCIDRs").forEach(c -> insecure.add(c.asString()));
        list(out, " Insecure Registries:", EngineClient.json().valueToTree(insecure));
        list(out, " Registry Mirrors:", info.path("RegistryConfig").path("Mirrors"));
        out.println(" Live Restore Enabled: " + info.path("LiveRestoreEnabled").asBoolean());
        if (!info.path("DefaultAddressPools").isEmpty()) {
            out.println(" Default Address Pools:");
            for (JsonNode p : info.path("DefaultAddressPools")) {
                out.println("   Base: " + p.path("Base").asString() + ", Size: " + p.path("Size").asInt());
            }
        }
    }

    /** A heading and its items, each on its own line; nothing at all when there are none. */
    private static void list(PrintStream out, String heading, JsonNode items) {
        if (items == null || items.isEmpty()) return;
        out.println(heading);
        for (JsonNode i : items) out.println("  " + i.asString());
    }

    /** {@code name=seccomp,profile=builtin} as the Docker CLI shows it: the name, then each other key titled. */
    private static void printSecurityOption(String option, PrintStream out) {
        for (String kv : option.split(",")) {
            String[] parts = kv.split("=", 2);
            if (parts.length < 2) {
                out.println("  " + kv);
            } else if (parts[0].equals("name")) {
                out.println("  " + parts[1]);
            } else {
                out.println("   " + Character.toUpperCase(parts[0].charAt(0)) + parts[0].substring(1) + ": " + parts[1]);
            }
        }
    }
}
