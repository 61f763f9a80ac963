package dev.berth.cli;

import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "commit", description = "Create a new image from a container's changes",
        customSynopsis = "berth commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]")
final class CommitCommand extends CliCommand {
    @Option(names = {"-a", "--author"}, paramLabel = "string", description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")
    String author;

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Commit message")
    String message;

    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-p", "--pause"}, arity = "0..1", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Pause container during commit (default true)")
    boolean pause;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    CommitCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        Query q = Query.of().add("container", container).add("author", author).add("comment", message)
                .addBool("pause", pause);
        if (reference != null) {
            String[] ref = ImageNames.splitOptionalTag(reference);
            q.add("repo", ref[0]).add("tag", ref[1].isEmpty() ? null : ref[1]);
        }
        for (String c : changes) q.add("changes", c);
        session.out.println(client().post("/commit" + q, java.util.Map.of()).path("Id").asString());
        return 0;
    }
}
