package dev.berth.format;

import dev.berth.format.Functions.Func;
import dev.berth.format.Functions.Param;
import dev.berth.format.Node.BoolNode;
import dev.berth.format.Node.ChainNode;
import dev.berth.format.Node.CommandNode;
import dev.berth.format.Node.DotNode;
import dev.berth.format.Node.FieldNode;
import dev.berth.format.Node.IdentifierNode;
import dev.berth.format.Node.NilNode;
import dev.berth.format.Node.NumberNode;
import dev.berth.format.Node.PipeNode;
import dev.berth.format.Node.StringNode;
import dev.berth.format.Node.VariableNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Evaluates pipelines over plain Java values as Go's exec.go does: each command's value becomes the last
 * argument of the next, fields are looked up in maps, records and {@link TemplateFields} rows, functions
 * get their arguments checked by Go's assignment rules ({@link Params}), and and/or stop early.
 */
final class Evaluator {

    /** Go's missingVal: "no value was piped into this command", as opposed to an invalid value. */
    private enum NoFinal { NO_FINAL }

    private static final Object NO_FINAL = NoFinal.NO_FINAL;

    private final ExecState s;

    Evaluator(ExecState state) {
        this.s = state;
    }

    /** Evaluates a pipeline and declares or assigns its variables. */
    Object pipeline(Object dot, PipeNode pipe) {
        s.at(pipe);
        Object value = NO_FINAL;
        for (CommandNode cmd : pipe.cmds()) {
            value = evalCommand(dot, cmd, value);
        }
        for (VariableNode v : pipe.decl()) {
            if (pipe.isAssign()) {
                s.setVar(v.ident().getFirst(), value);
            } else {
                s.vars.push(v.ident().getFirst(), value);
            }
        }
        return value;
    }

    private void notAFunction(List<Node> args, Object fin) {
        if (args.size() > 1 || fin != NO_FINAL) {
            throw s.error("can't give argument to non-function " + args.getFirst());
        }
    }

    private Object evalCommand(Object dot, CommandNode cmd, Object fin) {
        Node first = cmd.args().getFirst();
        switch (first) {
            case FieldNode f -> {
                return evalFieldNode(dot, f, cmd.args(), fin);
            }
            case ChainNode c -> {
                return evalChainNode(dot, c, cmd.args(), fin);
            }
            case IdentifierNode id -> {
                return evalFunction(dot, id, cmd, cmd.args(), fin);
            }
            case PipeNode p -> {
                notAFunction(cmd.args(), fin);
                return pipeline(dot, p);
            }
            case VariableNode v -> {
                return evalVariableNode(dot, v, cmd.args(), fin);
            }
            default -> {
            }
        }
        s.at(first);
        notAFunction(cmd.args(), fin);
        return switch (first) {
            case BoolNode b -> b.value();
            case DotNode d -> dot;
            case NilNode n -> throw s.error("nil is not a command");
            case NumberNode n -> idealConstant(n);
            case StringNode str -> str.text();
            default -> throw s.error("can't evaluate command " + GoText.quote(first.toString()));
        };
    }

    private Object idealConstant(NumberNode n) {
        s.at(n);
        try {
            return Params.idealConstant(n);
        } catch (Params.Mismatch e) {
            throw s.error(e.getMessage());
        }
    }

    private Object evalFieldNode(Object dot, FieldNode f, List<Node> args, Object fin) {
        s.at(f);
        return evalFieldChain(dot, dot, isBoxed(dot), f, f.ident(), args, fin);
    }

    private Object evalChainNode(Object dot, ChainNode c, List<Node> args, Object fin) {
        s.at(c);
        if (c.node() instanceof NilNode) {
            throw s.error("indirection through explicit nil in " + c);
        }
        Object receiver = evalArg(dot, null, c.node());
        // A pipeline or function result has its concrete type, as Go unwraps interface values there.
        return evalFieldChain(dot, receiver, false, c, c.fields(), args, fin);
    }

    private Object evalVariableNode(Object dot, VariableNode v, List<Node> args, Object fin) {
        s.at(v);
        Object value = s.varValue(v.ident().getFirst());
        if (v.ident().size() == 1) {
            notAFunction(args == null ? List.of(v) : args, fin);
            return value;
        }
        return evalFieldChain(dot, value, isBoxed(value), v, v.ident().subList(1, v.ident().size()), args, fin);
    }

    /**
     * Whether Go would see this value through an interface{} (it came out of a map or slice of JSON),
     * which is the type its errors name. Rows and records are typed structs.
     */
    private static boolean isBoxed(Object v) {
        return !(v instanceof TemplateFields) && !(v instanceof Record);
    }

    private Object evalFieldChain(Object dot, Object receiver, boolean boxed, Node n, List<String> ident,
                                  List<Node> args, Object fin) {
        int last = ident.size() - 1;
        for (int i = 0; i < last; i++) {
            Object next = evalField(dot, ident.get(i), n, null, NO_FINAL, receiver, boxed);
            boxed = receiver instanceof Map<?, ?> || isBoxed(next);
            receiver = next;
        }
        return evalField(dot, ident.get(last), n, args, fin, receiver, boxed);
    }

    private Object evalField(Object dot, String field, Node n, List<Node> args, Object fin, Object receiver,
                             boolean boxed) {
        if (receiver == Values.MISSING) {
            if (s.template.missingKeyError()) {
                throw s.error("nil data; no entry for key " + GoText.quote(field));
            }
            return Values.MISSING;
        }
        if (receiver == null) {
            throw s.error("nil pointer evaluating interface {}." + field);
        }
        boolean hasArgs = (args != null && args.size() > 1) || fin != NO_FINAL;
        switch (receiver) {
            case TemplateFields row -> {
                return callRow(dot, row, field, n, args, fin, hasArgs);
            }
            case Map<?, ?> m -> {
                if (hasArgs) {
                    throw s.error(field + " is not a method but has arguments");
                }
                if (m.containsKey(field)) {
                    return m.get(field);
                }
                if (s.template.missingKeyError()) {
                    throw s.error("map has no entry for key " + GoText.quote(field));
                }
                return Values.MISSING;
            }
            case Record r -> {
                RecordComponent c = Values.component(r, field);
                if (c != null) {
                    if (hasArgs) {
                        throw s.error(field + " has arguments but cannot be invoked as function");
                    }
                    return Values.componentValue(r, c);
                }
            }
            default -> {
            }
        }
        String type = boxed ? "interface {}" : Values.typeName(receiver);
        throw s.error("can't evaluate field " + field + " in type " + type);
    }

    private Object callRow(Object dot, TemplateFields row, String field, Node n, List<Node> args, Object fin,
                           boolean hasArgs) {
        List<Object> argv = new ArrayList<>();
        if (args != null) {
            for (Node a : args.subList(1, args.size())) {
                argv.add(evalArg(dot, Param.ANY, a));
            }
        }
        if (fin != NO_FINAL) {
            argv.add(fin == Values.MISSING ? null : fin);
        }
        Object result;
        try {
            result = row.call(field, Collections.unmodifiableList(argv));
        } catch (TemplateException e) {
            s.at(n);
            throw s.error(e.getMessage());
        } catch (RuntimeException e) {
            s.at(n);
            throw s.error("error calling " + field + ": " + e.getMessage());
        }
        if (result == TemplateFields.NO_SUCH_FIELD) {
            if (hasArgs && row.field(field) != TemplateFields.NO_SUCH_FIELD) {
                throw s.error(field + " has arguments but cannot be invoked as function");
            }
            throw s.error("can't evaluate field " + field + " in type " + row.typeName());
        }
        return result;
    }

    private Object evalFunction(Object dot, IdentifierNode id, Node cmd, List<Node> args, Object fin) {
        s.at(id);
        Func fn = s.funcs.get(id.ident());
        if (fn == null) {
            throw s.error(GoText.quote(id.ident()) + " is not a defined function");
        }
        return evalCall(dot, fn, cmd, args, fin);
    }

    private Object evalCall(Object dot, Func fn, Node cmd, List<Node> args, Object fin) {
        List<Node> argNodes = args == null ? List.of() : args.subList(1, args.size());
        int numIn = argNodes.size() + (fin != NO_FINAL ? 1 : 0);
        int numFixed = fn.params().size();
        if (fn.variadic() != null) {
            if (numIn < numFixed) {
                throw s.error("wrong number of args for " + fn.name() + ": want at least " + numFixed
                        + " got " + argNodes.size());
            }
        } else if (numIn != numFixed) {
            throw s.error("wrong number of args for " + fn.name() + ": want " + numFixed + " got " + numIn);
        }
        if (fn.shortCircuits()) {
            // and/or evaluate arguments only until the outcome is known, and return that argument.
            Object v = null;
            for (Node a : argNodes) {
                v = evalArg(dot, Param.VALUE, a);
                if (Values.isTrue(v) == fn.name().equals("or")) {
                    return v;
                }
            }
            return fin != NO_FINAL ? validateType(fin, Param.VALUE) : v;
        }
        List<Object> argv = new ArrayList<>(numIn);
        for (int i = 0; i < argNodes.size(); i++) {
            Param p = i < numFixed ? fn.params().get(i) : fn.variadic();
            argv.add(evalArg(dot, p, argNodes.get(i)));
        }
        if (fin != NO_FINAL) {
            Param p = numIn - 1 < numFixed ? fn.params().get(numIn - 1) : fn.variadic();
            argv.add(validateType(fin, p));
        }
        try {
            return fn.impl().apply(Collections.unmodifiableList(argv));
        } catch (IllegalArgumentException e) {
            s.at(cmd);
            throw s.error("error calling " + fn.name() + ": " + e.getMessage());
        }
    }

    private Object validateType(Object value, Param p) {
        try {
            return Params.validate(value, p);
        } catch (Params.Mismatch e) {
            throw s.error(e.getMessage());
        }
    }

    /** Evaluates an argument node for a parameter; a null parameter type means "as is" (chain heads). */
    private Object evalArg(Object dot, Param p, Node n) {
        s.at(n);
        try {
            return switch (n) {
                case DotNode d -> Params.validate(dot, p);
                case NilNode nil -> Params.nil(p);
                case FieldNode f -> Params.validate(evalFieldNode(dot, f, List.of(n), NO_FINAL), p);
                case VariableNode v -> Params.validate(evalVariableNode(dot, v, null, NO_FINAL), p);
                case PipeNode pipe -> Params.validate(pipeline(dot, pipe), p);
                case IdentifierNode id -> Params.validate(evalFunction(dot, id, id, null, NO_FINAL), p);
                case ChainNode c -> Params.validate(evalChainNode(dot, c, null, NO_FINAL), p);
                default -> Params.literal(n, p);
            };
        } catch (Params.Mismatch e) {
            throw s.error(e.getMessage());
        }
    }
}
