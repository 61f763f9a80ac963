package dev.berth.bench;

import dev.berth.api.ContainerSummary;
import dev.berth.format.TemplateFields;
import java.util.List;
import java.util.Set;

/**
 * A {@code ps} row as docker/cli's ContainerContext presents it to templates: a short id, names without the
 * leading slash, a quoted and truncated command. A stand-in for the CLI's own row type, which the bench cannot
 * depend on (berth-cli is not installed as a library).
 */
record PsRow(ContainerSummary c) implements TemplateFields {
    private static final Set<String> FIELDS =
            Set.of("ID", "Image", "Command", "CreatedAt", "RunningFor", "Ports", "State", "Status", "Names", "Labels");

    @Override
    public Object field(String name) {
        return switch (name) {
            case "ID" -> c.id().substring(0, 12);
            case "Image" -> c.image();
            case "Command" -> "\"" + (c.command().length() > 20 ? c.command().substring(0, 19) + "…" : c.command()) + "\"";
            case "CreatedAt" -> Long.toString(c.created());
            case "RunningFor" -> "2 hours ago";
            case "Ports" -> "";
            case "State" -> c.state();
            case "Status" -> c.status();
            case "Names" -> String.join(",", c.names().stream().map(n -> n.substring(1)).toList());
            case "Labels" -> c.labels().toString();
            default -> NO_SUCH_FIELD;
        };
    }

    @Override
    public Set<String> fieldNames() {
        return FIELDS;
    }

    @Override
    public Object call(String name, List<Object> args) {
        if (name.equals("Label") && args.size() == 1) return c.labels().getOrDefault((String) args.getFirst(), "");
        return TemplateFields.super.call(name, args);
    }

    @Override
    public String typeName() {
        return "*formatter.ContainerContext";
    }
}
