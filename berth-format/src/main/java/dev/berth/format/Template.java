package dev.berth.format;

import dev.berth.format.Node.ListNode;
import java.util.Map;

/**
 * A parsed Go text/template with docker/cli's template functions, as used by {@code --format}.
 *
 * <pre>{@code
 * Template t = Template.parse("{{.State.Status}} {{json .Config.Env}}");
 * String line = t.execute(inspectMap);
 * }</pre>
 *
 * <p>Templates run over plain values: {@code Map<String, Object>} for JSON objects, lists, strings,
 * numbers, booleans and null, plus records and {@link TemplateFields} rows. A key that is absent prints
 * {@code <no value>}; a JSON null prints {@code <nil>}. Supported: actions, pipelines, parenthesized
 * pipelines, variables, if/else if/with/else with/range/break/continue, define/template/block, trim markers,
 * comments, the builtins (and, or, not, len, index, slice, eq, ne, lt, le, gt, ge, print, printf, println,
 * html, js, urlquery) and Docker's json, split, join, title, lower, upper, pad and truncate.
 * Not supported: complex numbers, the call builtin, custom delimiters and user functions.
 *
 * <p>Instances are immutable and may be executed concurrently.
 */
public final class Template {

    private final String source;
    private final Map<String, ListNode> trees;
    private final boolean missingKeyError;

    private Template(String source, Map<String, ListNode> trees, boolean missingKeyError) {
        this.source = source;
        this.trees = trees;
        this.missingKeyError = missingKeyError;
    }

    /** Parses a template; throws {@link TemplateException} with Go's message when it is malformed. */
    public static Template parse(String source) {
        try {
            return new Template(source, Parser.parse(source, Functions.BASIC.keySet()), false);
        } catch (StackOverflowError e) {
            // Deeply nested actions recurse beyond the stack; report it as a template problem.
            throw new TemplateException("template: " + Parser.NAME + ": template is nested too deeply");
        }
    }

    /**
     * This template with Go's {@code missingkey=error} option: an absent map key fails execution with
     * {@code map has no entry for key "X"} instead of printing {@code <no value>}. docker inspect uses it
     * when it falls back to executing over the raw JSON.
     */
    public Template withMissingKeyError() {
        return new Template(source, trees, true);
    }

    public String source() {
        return source;
    }

    /** Executes over data and returns the output; throws {@link TemplateException} on failure. */
    public String execute(Object data) {
        StringBuilder out = new StringBuilder();
        execute(data, out);
        return out.toString();
    }

    /**
     * Executes over data, writing as it goes: on failure the output written so far stays, as in Go.
     * I/O failures of out surface as {@link java.io.UncheckedIOException}.
     */
    public void execute(Object data, Appendable out) {
        run(data, out, Functions.BASIC);
    }

    /** Executes with docker/cli's header functions, which leave header texts as they are. */
    void executeHeader(Object header, Appendable out) {
        run(header, out, Functions.HEADER);
    }

    private void run(Object data, Appendable out, Map<String, Functions.Func> funcs) {
        try {
            Executor.execute(this, data, out, funcs);
        } catch (StackOverflowError e) {
            throw new TemplateException("template: " + Parser.NAME + ": template is nested too deeply to execute");
        }
    }

    boolean missingKeyError() {
        return missingKeyError;
    }

    ListNode tree(String name) {
        return trees.get(name);
    }

    @Override
    public String toString() {
        return source;
    }
}
