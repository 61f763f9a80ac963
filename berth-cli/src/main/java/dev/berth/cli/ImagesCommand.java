package dev.berth.cli;

import dev.berth.client.Query;
import dev.berth.format.Formatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "images", description = "List images", customSynopsis = "berth images [OPTIONS] [REPOSITORY[:TAG]]")
class ImagesCommand extends CliCommand {
    @Option(names = {"-a", "--all"}, description = "Show all images (default hides intermediate images)")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Option(names = "--digests", description = "Show digests")
    boolean digests;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template")
    String format;

    @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    ImagesCommand(Session session) {
        super(session);
    }

    @Command(name = "ls", aliases = {"list", "images"}, description = "List images", customSynopsis = "berth image ls [OPTIONS] [REPOSITORY[:TAG]]")
    static final class ImageLs extends ImagesCommand {
        ImageLs(Session session) {
            super(session);
        }
    }

    @Override
    int run() {
        var filterFlags = new ArrayList<>(filters);
        if (reference != null) filterFlags.add("reference=" + reference);
        JsonNode list = client().get("/images/json" + Query.of().add("all", all).add("digests", digests)
                .add("filters", Filters.toJson(filterFlags)));
        var rows = new ArrayList<ImageRow>();
        for (JsonNode image : list) rows.addAll(rows(image, !noTrunc));
        if (quiet && (format == null || format.isEmpty())) {
            // One line per image, not per tag.
            var ids = new LinkedHashSet<String>();
            rows.forEach(r -> ids.add((String) r.field("ID")));
            ids.forEach(session.out::println);
            return 0;
        }
        new Formatter(format, digests ? ImageRow.DIGEST_TABLE : ImageRow.DEFAULT_TABLE, ImageRow.HEADERS).write(rows, session.out);
        return 0;
    }

    /** A row per tag; an untagged image is one {@code <none>} row. */
    static List<ImageRow> rows(JsonNode image, boolean trunc) {
        var rows = new ArrayList<ImageRow>();
        for (JsonNode t : image.path("RepoTags")) {
            String ref = t.asString();
            if (ref.equals("<none>:<none>")) continue;
            String[] parts = ImageNames.splitTag(ref);
            rows.add(new ImageRow(image, parts[0], parts[1], digestFor(image, parts[0]), trunc));
        }
        if (rows.isEmpty()) {
            String repo = "<none>";
            String digest = "<none>";
            for (JsonNode d : image.path("RepoDigests")) {
                String[] parts = d.asString().split("@", 2);
                if (parts.length == 2) {
                    repo = parts[0];
                    digest = parts[1];
                    break;
                }
            }
            rows.add(new ImageRow(image, repo, "<none>", digest, trunc));
        }
        return rows;
    }

    private static String digestFor(JsonNode image, String repository) {
        for (JsonNode d : image.path("RepoDigests")) {
            String[] parts = d.asString().split("@", 2);
            if (parts.length == 2 && parts[0].equals(repository)) return parts[1];
        }
        return "<none>";
    }
}
