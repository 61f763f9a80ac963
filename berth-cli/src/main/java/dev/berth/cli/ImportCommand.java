package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.EngineException;
import dev.berth.client.Query;
import dev.berth.client.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "import", description = "Import the contents from a tarball to create a filesystem image",
        customSynopsis = "berth import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]")
final class ImportCommand extends CliCommand {
    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Set commit message for imported image")
    String message;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Parameters(index = "0", paramLabel = "file|URL|-")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    ImportCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws IOException {
        Query q = Query.of().add("fromSrc", "-");
        if (reference != null) {
            String[] ref = ImageNames.splitOptionalTag(reference);
            q.add("repo", ref[0]).add("tag", ref[1].isEmpty() ? null : ref[1]);
        }
        q.add("message", message).add("platform", platform);
        for (String change : changes) q.add("changes", change);
        try (InputStream body = open()) {
            client().upload("POST", "/images/create" + q, body, "application/x-tar").forEachJsonMessage(n -> {
                if (n.has("status")) session.out.println(n.get("status").asString());
            });
        }
        return 0;
    }

    private InputStream open() throws IOException {
        if (source.equals("-")) return session.in;
        if (source.startsWith("http://") || source.startsWith("https://")) {
            throw new UsageError("importing from a URL is not supported; download the file and import it");
        }
        try {
            return Files.newInputStream(Path.of(source));
        } catch (NoSuchFileException e) {
            throw new Failure(1, "open " + source + ": no such file or directory");
        }
    }
}
