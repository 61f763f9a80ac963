package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.EngineException;
import dev.berth.client.Query;
import dev.berth.format.Template;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Return low-level information on Berth objects",
        customSynopsis = "berth inspect [OPTIONS] NAME|ID [NAME|ID...]")
class InspectCommand extends CliCommand {
    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template: 'json', or a Go template")
    String format;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes if the type is container")
    boolean size;

    @Option(names = "--type", paramLabel = "string", description = "Only inspect objects of the given type (container, image)")
    String type;

    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> names;

    InspectCommand(Session session) {
        super(session);
    }

    @Command(name = "inspect", description = "Display detailed information on one or more containers",
            customSynopsis = "berth container inspect [OPTIONS] CONTAINER [CONTAINER...]")
    static final class ContainerInspect extends InspectCommand {
        ContainerInspect(Session session) {
            super(session);
        }

        @Override
        String fixedType() {
            return "container";
        }
    }

    @Command(name = "inspect", description = "Display detailed information on one or more images",
            customSynopsis = "berth image inspect [OPTIONS] IMAGE [IMAGE...]")
    static final class ImageInspect extends InspectCommand {
        ImageInspect(Session session) {
            super(session);
        }

        @Override
        String fixedType() {
            return "image";
        }
    }

    String fixedType() {
        return type;
    }

    @Override
    int run() {
        String kind = fixedType();
        if (kind != null && !kind.equals("container") && !kind.equals("image")) {
            throw new UsageError("\"" + kind + "\" is not a valid value for --type");
        }
        Template template = format == null || format.isEmpty() || format.equals("json") ? null
                : Inspection.parse(format.replace("\\t", "\t").replace("\\n", "\n"));
        var found = new ArrayList<Object>();
        var missing = new ArrayList<String>();
        for (String name : names) {
            Object object = lookUp(name, kind);
            if (object == null) missing.add(name);
            else found.add(object);
        }
        Inspection.write(session, format, template, found);
        for (String name : missing) {
            session.err.println(notFound(name, kind));
        }
        return missing.isEmpty() ? 0 : 1;
    }

    private static String notFound(String name, String kind) {
        if (kind == null) return "Error: No such object: " + name;
        return kind.equals("image") ? "Error response from daemon: No such image: " + name
                : "Error response from daemon: No such container: " + name;
    }

    /** The daemon's JSON as plain maps and lists, or null when no such object exists. */
    private Object lookUp(String name, String kind) {
        if (kind == null || kind.equals("container")) {
            Object c = getOrNull("/containers/" + name + "/json" + Query.of().add("size", size));
            if (c != null || kind != null) return c;
        }
        return getOrNull("/images/" + name + "/json");
    }

    private Object getOrNull(String path) {
        try {
            return EngineClient.json().treeToValue(client().get(path), Object.class);
        } catch (EngineException e) {
            if (e.status() == 404) return null;
            throw e;
        }
    }
}
