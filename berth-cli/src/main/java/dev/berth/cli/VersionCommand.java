package dev.berth.cli;

import dev.berth.client.DaemonUnreachableException;
import dev.berth.client.EngineClient;
import dev.berth.format.Template;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "version", description = "Show the Berth version information", customSynopsis = "berth version [OPTIONS]")
final class VersionCommand extends CliCommand {
    static final String CLIENT_VERSION = "0.1.0";

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template: 'json', or a Go template")
    String format;

    VersionCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        var client = new LinkedHashMap<String, Object>();
        client.put("Version", CLIENT_VERSION);
        client.put("ApiVersion", EngineClient.API_VERSION);
        client.put("DefaultAPIVersion", EngineClient.API_VERSION);
        client.put("JavaVersion", System.getProperty("java.version"));
        client.put("Os", "linux");
        client.put("Arch", arch());
        client.put("Context", "default");
        JsonNode server = null;
        DaemonUnreachableException unreachable = null;
        try {
            server = client().get("/version");
        } catch (DaemonUnreachableException e) {
            unreachable = e;
        }
        if (format != null && !format.isEmpty()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("Client", client);
            data.put("Server", server == null ? null : EngineClient.json().treeToValue(server, Object.class));
            String source = format.equals("json") ? "{{json .}}" : format;
            session.out.println(Template.parse(source).execute(data));
        } else {
            printClient(client);
            if (server != null) printServer(server);
        }
        if (unreachable != null) throw unreachable;
        return 0;
    }

    private void printClient(Map<String, Object> c) {
        var out = session.out;
        out.println("Client:");
        out.printf(" Version:           %s%n", c.get("Version"));
        out.printf(" API version:       %s%n", c.get("ApiVersion"));
        out.printf(" Java version:      %s%n", c.get("JavaVersion"));
        out.printf(" OS/Arch:           %s/%s%n", c.get("Os"), c.get("Arch"));
        out.printf(" Context:           %s%n", c.get("Context"));
    }

    private void printServer(JsonNode s) {
        var out = session.out;
        out.println();
        out.println("Server: " + s.path("Platform").path("Name").asString("Berth Engine"));
        for (JsonNode component : s.path("Components")) {
            JsonNode d = component.path("Details");
            out.println(" " + component.path("Name").asString() + ":");
            out.printf("  Version:          %s%n", component.path("Version").asString());
            if (component.path("Name").asString().equals("Engine")) {
                out.printf("  API version:      %s (minimum version %s)%n", d.path("ApiVersion").asString(), d.path("MinAPIVersion").asString());
                out.printf("  Git commit:       %s%n", d.path("GitCommit").asString());
                out.printf("  Built:            %s%n", d.path("BuildTime").asString());
                out.printf("  OS/Arch:          %s/%s%n", d.path("Os").asString(), d.path("Arch").asString());
                out.printf("  Experimental:     %s%n", d.path("Experimental").asString("false"));
            } else if (d.has("GitCommit")) {
                out.printf("  GitCommit:        %s%n", d.path("GitCommit").asString());
            }
        }
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }
}
