package dev.berth.format;

import dev.berth.format.Functions.Func;
import dev.berth.format.Node.ActionNode;
import dev.berth.format.Node.BranchKind;
import dev.berth.format.Node.BranchNode;
import dev.berth.format.Node.BreakNode;
import dev.berth.format.Node.ContinueNode;
import dev.berth.format.Node.ListNode;
import dev.berth.format.Node.PipeNode;
import dev.berth.format.Node.TemplateNode;
import dev.berth.format.Node.TextNode;
import dev.berth.format.Node.VariableNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Walks a parse tree with the semantics of Go's text/template exec.go: text and actions are written out,
 * if/with test Go's truth, range visits lists in order, maps in sorted key order and ints from 0, with
 * break and continue, and {{template}} runs a named tree in a fresh invocation where only $ is defined.
 * Expressions are left to {@link Evaluator}. On failure, output written so far stays written.
 */
final class Executor {

    /** Go stops at 100000 (1000 on small stacks); 1000 overflowed a default Java thread stack first. */
    private static final int MAX_DEPTH = 200;

    /** Unwinds to the enclosing range; carries no stack trace. */
    private static final class Jump extends RuntimeException {
        Jump() {
            super(null, null, false, false);
        }
    }

    private static final Jump BREAK = new Jump();
    private static final Jump CONTINUE = new Jump();

    private final ExecState s;
    private final Evaluator eval;
    private final Appendable out;

    private Executor(ExecState state, Appendable out) {
        this.s = state;
        this.eval = new Evaluator(state);
        this.out = out;
    }

    static void execute(Template template, Object data, Appendable out, Map<String, Func> funcs) {
        Object dot = data == null ? Values.MISSING : data; // Go's reflect.ValueOf(nil) is invalid
        new Executor(new ExecState(template, Parser.NAME, funcs, 0, dot), out).walk(dot, template.tree(Parser.NAME));
    }

    // ---- walking

    private void walk(Object dot, Node n) {
        s.at(n);
        switch (n) {
            case ActionNode a -> {
                Object value = eval.pipeline(dot, a.pipe());
                if (a.pipe().decl().isEmpty()) {
                    s.at(a);
                    write(value == Values.MISSING ? "<no value>" : GoFmt.value(value));
                }
            }
            case BreakNode b -> throw BREAK;
            case ContinueNode c -> throw CONTINUE;
            case BranchNode b when b.kind() == BranchKind.RANGE -> walkRange(dot, b);
            case BranchNode b -> walkIfOrWith(dot, b);
            case ListNode l -> l.nodes().forEach(child -> walk(dot, child));
            case TemplateNode t -> walkTemplate(dot, t);
            case TextNode t -> write(t.text());
            default -> throw s.error("unknown node: " + n);
        }
    }

    private void write(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void walkIfOrWith(Object dot, BranchNode b) {
        int mark = s.vars.mark();
        try {
            Object value = eval.pipeline(dot, b.pipe());
            if (Values.isTrue(value)) {
                walk(b.kind() == BranchKind.WITH ? value : dot, b.list());
            } else if (b.elseList() != null) {
                walk(dot, b.elseList());
            }
        } finally {
            s.vars.pop(mark);
        }
    }

    private void walkRange(Object dot, BranchNode r) {
        s.at(r);
        int outer = s.vars.mark();
        try {
            Object value = eval.pipeline(dot, r.pipe());
            int mark = s.vars.mark();
            boolean ran = switch (Values.kind(value)) {
                case LIST -> {
                    List<Object> elems = Values.elements(value);
                    for (int i = 0; i < elems.size(); i++) {
                        iterate(r, mark, (long) i, elems.get(i));
                    }
                    yield !elems.isEmpty();
                }
                case MAP -> {
                    Map<?, ?> m = (Map<?, ?>) value;
                    for (Object key : Values.sortedKeys(m)) {
                        iterate(r, mark, key, m.get(key));
                    }
                    yield !m.isEmpty();
                }
                case INT -> {
                    // Go 1.24 ranges over an int n as 0..n-1, with the number as the element.
                    if (r.pipe().decl().size() > 1) {
                        throw s.error("can't use " + GoFmt.value(value) + " to iterate over more than one variable");
                    }
                    long n = Values.longValue(value);
                    for (long i = 0; i < n; i++) {
                        iterate(r, mark, Values.MISSING, i);
                    }
                    yield n > 0;
                }
                case INVALID -> false; // nil acts as an empty collection
                default -> throw s.error("range can't iterate over " + GoFmt.value(value));
            };
            if (!ran && r.elseList() != null) {
                walk(dot, r.elseList());
            }
        } catch (Jump j) {
            if (j != BREAK) {
                throw j;
            }
        } finally {
            s.vars.pop(outer);
        }
    }

    private void iterate(BranchNode r, int mark, Object index, Object elem) {
        PipeNode pipe = r.pipe();
        List<VariableNode> decl = pipe.decl();
        if (!decl.isEmpty()) {
            if (pipe.isAssign()) {
                s.setVar(decl.getFirst().ident().getFirst(), decl.size() > 1 ? index : elem);
            } else {
                s.vars.setTop(1, elem);
            }
        }
        if (decl.size() > 1) {
            if (pipe.isAssign()) {
                s.setVar(decl.get(1).ident().getFirst(), elem);
            } else {
                s.vars.setTop(2, index);
            }
        }
        try {
            walk(elem, r.list());
        } catch (Jump j) {
            if (j != CONTINUE) {
                throw j;
            }
        } finally {
            s.vars.pop(mark);
        }
    }

    private void walkTemplate(Object dot, TemplateNode t) {
        s.at(t);
        ListNode tree = s.template.tree(t.name());
        if (tree == null) {
            throw s.error("template " + GoText.quote(t.name()) + " not defined");
        }
        if (s.depth == MAX_DEPTH) {
            throw s.error("exceeded maximum template depth (" + MAX_DEPTH + ")");
        }
        Object newDot = t.pipe() == null ? Values.MISSING : eval.pipeline(dot, t.pipe());
        new Executor(new ExecState(s.template, t.name(), s.funcs, s.depth + 1, newDot), out).walk(newDot, tree);
    }
}
