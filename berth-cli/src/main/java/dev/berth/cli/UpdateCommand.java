package dev.berth.cli;

import java.util.LinkedHashMap;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "update", description = "Update configuration of one or more containers",
        customSynopsis = "berth update [OPTIONS] CONTAINER [CONTAINER...]")
final class UpdateCommand extends CliCommand {
    @Mixin
    ResourceOptions resources;

    @Option(names = "--restart", paramLabel = "string", description = "Restart policy to apply when a container exits")
    String restart;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    UpdateCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        var body = new LinkedHashMap<String, Object>();
        resources.addTo(body);
        if (restart != null) body.put("RestartPolicy", ContainerOptions.restartPolicy(restart));
        if (body.isEmpty()) throw new UsageError("you must provide one or more flags when using this command");
        return forEach(containers, c -> {
            var reply = client().post("/containers/" + c + "/update", body);
            if (reply != null) reply.path("Warnings").forEach(w -> session.err.println("WARNING: " + w.asString()));
            session.out.println(c);
        });
    }
}
