package dev.berth.cli;

import dev.berth.format.Units;
import tools.jackson.databind.JsonNode;

/** How the prune commands report, as Docker's do: a titled list of what went, then the space reclaimed. */
final class PruneReport {
    private PruneReport() {
    }

    /** {@code Deleted Containers:} and one ID or name a line, then a blank line; nothing when the list is empty. */
    static void names(Session session, String title, JsonNode items) {
        if (!items.isArray() || items.isEmpty()) return;
        session.out.println(title);
        items.forEach(i -> session.out.println(i.asString()));
        session.out.println();
    }

    /** {@code Deleted Images:} with Docker's lower-case {@code untagged:} and {@code deleted:} lines. */
    static void images(Session session, JsonNode items) {
        if (!items.isArray() || items.isEmpty()) return;
        session.out.println("Deleted Images:");
        for (JsonNode item : items) {
            if (item.has("Untagged")) session.out.println("untagged: " + item.get("Untagged").asString());
            if (item.has("Deleted")) session.out.println("deleted: " + item.get("Deleted").asString());
        }
        session.out.println();
    }

    static void reclaimed(Session session, long bytes) {
        session.out.println("Total reclaimed space: " + Units.humanSize(bytes));
    }
}
