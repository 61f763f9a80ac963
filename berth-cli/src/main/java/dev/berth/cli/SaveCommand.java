package dev.berth.cli;

import dev.berth.client.Query;
import dev.berth.client.Response;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "save", description = "Save one or more images to a tar archive (streamed to STDOUT by default)",
        customSynopsis = "berth save [OPTIONS] IMAGE [IMAGE...]")
class SaveCommand extends CliCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    Path output;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    SaveCommand(Session session) {
        super(session);
    }

    @Command(name = "save", description = "Save one or more images to a tar archive (streamed to STDOUT by default)",
            customSynopsis = "berth image save [OPTIONS] IMAGE [IMAGE...]")
    static final class ImageSave extends SaveCommand {
        ImageSave(Session session) {
            super(session);
        }
    }

    @Override
    int run() throws Exception {
        if (output == null && dev.berth.sys.Terminal.isTerminal(1)) {
            throw new Failure(1, "Cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
        Query q = Query.of();
        images.forEach(i -> q.add("names", i));
        try (Response r = client().stream("GET", "/images/get" + q)) {
            ExportCommand.writeTo(session, r, output);
        }
        return 0;
    }
}
