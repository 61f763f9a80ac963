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
        out.println(" Containers: " + info.path("Containers").asLong());
        out.println("  Running: " + info.path("ContainersRunning").asLong());
        out.println("  Paused: " + info.path("ContainersPaused").asLong());
        out.println("  Stopped: " + info.path("ContainersStopped").asLong());
        out.println(" Images: " + info.path("Images").asLong());
        out.println(" Server Version: " + info.path("ServerVersion").asString());
        out.println(" Storage Driver: " + info.path("Driver").asString());
        out.println(" Logging Driver: " + info.path("LoggingDriver").asString());
        out.println(" Cgroup Driver: " + info.path("CgroupDriver").asString());
        out.println(" Cgroup Version: " + info.path("CgroupVersion").asString());
        out.println(" Default Runtime: " + info.path("DefaultRuntime").asString());
        out.println(" Init Binary: " + info.path("InitBinary").asString());
        out.println(" Security Options:");
        for (JsonNode o : info.path("SecurityOptions")) out.println("  " + o.asString());
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
        out.println(" Live Restore Enabled: " + info.path("LiveRestoreEnabled").asBoolean());
        return 0;
    }
}
