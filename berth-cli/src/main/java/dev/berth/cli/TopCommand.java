package dev.berth.cli;

import dev.berth.client.Query;
import dev.berth.format.TabWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "top", description = "Display the running processes of a container",
        customSynopsis = "berth top CONTAINER [ps OPTIONS]")
final class TopCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", paramLabel = "ps OPTIONS")
    List<String> psArgs = new ArrayList<>();

    TopCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        JsonNode top = client().get("/containers/" + container + "/top"
                + Query.of().add("ps_args", psArgs.isEmpty() ? null : String.join(" ", psArgs)));
        // Docker's layout: a tab writer with cells at least 20 wide and 3 spaces of padding.
        var tw = new TabWriter(session.out, 20, 1, 3, ' ', 0);
        tw.append(join(top.path("Titles"))).append('\n');
        for (JsonNode process : top.path("Processes")) tw.append(join(process)).append('\n');
        tw.flush();
        return 0;
    }

    private static String join(JsonNode cells) {
        var out = new ArrayList<String>();
        cells.forEach(c -> out.add(c.asString()));
        return String.join("\t", out);
    }
}
