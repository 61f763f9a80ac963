package dev.berth.cli;

import dev.berth.client.Query;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", aliases = "remove", description = "Remove one or more containers",
        customSynopsis = "berth rm [OPTIONS] CONTAINER [CONTAINER...]")
final class RmCommand extends CliCommand {
    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
    boolean volumes;

    @Option(names = {"-l", "--link"}, description = "Remove the specified link")
    boolean link;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    RmCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        return forEach(containers, c -> {
            client().delete("/containers/" + c + Query.of().add("force", force).add("v", volumes).add("link", link));
            session.out.println(c);
        });
    }
}
