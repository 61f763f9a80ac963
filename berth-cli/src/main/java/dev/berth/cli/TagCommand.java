package dev.berth.cli;

import dev.berth.client.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tag", description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        customSynopsis = "berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]")
final class TagCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]")
    String target;

    TagCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        String[] ref = ImageNames.splitOptionalTag(target);
        client().post("/images/" + source + "/tag" + Query.of().add("repo", ref[0]).add("tag", ref[1].isEmpty() ? null : ref[1]), null);
        return 0;
    }
}
