package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.EngineException;
import dev.berth.format.GoJson;
import dev.berth.format.Template;
import dev.berth.format.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The shared shape of {@code X inspect}: a JSON array indented by four, or a template per object; misses on stderr. */
final class Inspection {
    private Inspection() {
    }

    /**
     * @param lookUp   one object by name as plain maps and lists, or null when there is none
     * @param notFound the message for a name with no object
     */
    static int print(Session session, String format, List<String> names, Function<String, Object> lookUp,
                     Function<String, String> notFound) {
        Template template = format == null || format.isEmpty() || format.equals("json") ? null
                : parse(format.replace("\\t", "\t").replace("\\n", "\n"));
        var found = new ArrayList<Object>();
        var missing = new ArrayList<String>();
        for (String name : names) {
            Object object = lookUp.apply(name);
            if (object == null) missing.add(name);
            else found.add(object);
        }
        write(session, format, template, found);
        for (String name : missing) session.err.println(notFound.apply(name));
        return missing.isEmpty() ? 0 : 1;
    }

    /** GET of one object as plain maps and lists, or null on 404. */
    static Object getOrNull(Session session, String path) {
        try {
            return EngineClient.json().treeToValue(session.client().get(path), Object.class);
        } catch (EngineException e) {
            if (e.status() == 404) return null;
            throw e;
        }
    }

    private static void write(Session session, String format, Template template, List<Object> found) {
        StringBuilder text = new StringBuilder();
        if (template == null) {
            text.append("json".equals(format) ? GoJson.compact(found) : GoJson.indented(found)).append('\n');
        } else {
            for (Object o : found) {
                template.execute(o, text);
                text.append('\n');
            }
        }
        session.out.print(text);
    }

    static Template parse(String source) {
        try {
            return Template.parse(source);
        } catch (TemplateException e) {
            throw new TemplateException("template parsing error: " + e.getMessage());
        }
    }
}
