package dev.berth.format;

import dev.berth.format.Functions.Func;
import java.util.Map;

/**
 * What one template invocation carries: the template and the name being executed (for error texts),
 * the function table, the variables, and the node being evaluated, which errors are located at.
 */
final class ExecState {

    final Template template;
    final String name;
    final Map<String, Func> funcs;
    final int depth;
    final Variables vars = new Variables();
    private Node node;

    ExecState(Template template, String name, Map<String, Func> funcs, int depth, Object dot) {
        this.template = template;
        this.name = name;
        this.funcs = funcs;
        this.depth = depth;
        vars.push("$", dot);
    }

    void at(Node n) {
        node = n;
    }

    /** Go's state.errorf: location and context of the current node, then the message. */
    TemplateException error(String message) {
        if (node == null) {
            return new TemplateException("template: " + name + ": " + message);
        }
        String before = template.source().substring(0, node.pos());
        int nl = before.lastIndexOf('\n');
        int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
        int column = GoText.utf8Length(nl < 0 ? before : before.substring(nl + 1));
        return new TemplateException("template: " + Parser.NAME + ":" + line + ":" + column + ": executing "
                + GoText.quote(name) + " at <" + node + ">: " + message);
    }

    void setVar(String var, Object value) {
        if (!vars.set(var, value)) {
            throw error("undefined variable: " + var);
        }
    }

    Object varValue(String var) {
        if (!vars.isDefined(var)) {
            throw error("undefined variable: " + var);
        }
        return vars.get(var);
    }
}
