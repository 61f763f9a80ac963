package dev.berth.cli;

import dev.berth.client.Query;
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
        return Inspection.print(session, format, names, name -> lookUp(name, kind), name -> notFound(name, kind));
    }

    private static String notFound(String name, String kind) {
        if (kind == null) return "Error: No such object: " + name;
        return kind.equals("image") ? "Error response from daemon: No such image: " + name
                : "Error response from daemon: No such container: " + name;
    }

    /** The daemon's JSON as plain maps and lists, or null when no such object exists. */
    private Object lookUp(String name, String kind) {
        if (kind == null || kind.equals("container")) {
            Object c = Inspection.getOrNull(session, "/containers/" + name + "/json" + Query.of().add("size", size));
            if (c != null || kind != null) return c;
        }
        return Inspection.getOrNull(session, "/images/" + name + "/json");
    }
}
