package dev.berth.cli;

import dev.berth.client.Response;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Export a container's filesystem as a tar archive",
        customSynopsis = "berth export [OPTIONS] CONTAINER")
final class ExportCommand extends CliCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    Path output;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    ExportCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        if (output == null && dev.berth.sys.Terminal.isTerminal(1)) {
            throw new Failure(1, "Cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
        try (Response r = client().stream("GET", "/containers/" + container + "/export")) {
            writeTo(session, r, output);
        }
        return 0;
    }

    /** The response body to stdout, or to {@code file} through a temporary file renamed into place. */
    static void writeTo(Session session, Response r, Path file) throws java.io.IOException {
        if (file == null) {
            r.body().transferTo(session.out);
            session.out.flush();
            return;
        }
        // rw-r--r-- less the umask, as a file the user writes with a shell redirect would be (not createTempFile's 0600).
        Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".partial",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                r.body().transferTo(out);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
