package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.EngineException;
import dev.berth.client.Query;
import dev.berth.client.Response;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "load", description = "Load an image from a tar archive or STDIN", customSynopsis = "berth load [OPTIONS]")
class LoadCommand extends CliCommand {
    @Option(names = {"-i", "--input"}, paramLabel = "string", description = "Read from tar archive file, instead of STDIN")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output")
    boolean quiet;

    LoadCommand(Session session) {
        super(session);
    }

    @Command(name = "load", description = "Load an image from a tar archive or STDIN", customSynopsis = "berth image load [OPTIONS]")
    static final class ImageLoad extends LoadCommand {
        ImageLoad(Session session) {
            super(session);
        }
    }

    @Override
    int run() throws Exception {
        if (input == null && dev.berth.sys.Terminal.isTerminal(0)) {
            throw new Failure(1, "requested load from stdin, but stdin is empty");
        }
        try (InputStream body = open()) {
            client().upload("POST", "/images/load" + Query.of().add("quiet", quiet), body, "application/x-tar")
                    .forEachJsonMessage(n -> {
                        if (n.has("stream")) session.out.print(n.get("stream").asString());
                    });
        }
        return 0;
    }

    private InputStream open() throws java.io.IOException {
        if (input == null) return session.in;
        try {
            return Files.newInputStream(input);
        } catch (NoSuchFileException e) {
            throw new Failure(1, "open " + input + ": no such file or directory");
        }
    }
}
