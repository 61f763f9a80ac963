package dev.berth.format;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The parse tree of a template, mirroring Go's text/template/parse nodes. Each node keeps the character
 * offset it started at (for "line:col" in execution errors) and prints itself as Go's String methods do,
 * because execution errors quote that text: {@code executing "" at <.State.Status>: ...}.
 */
sealed interface Node {

    int pos();

    record ListNode(int pos, List<Node> nodes) implements Node {
        @Override
        public String toString() {
            return nodes.stream().map(Node::toString).collect(Collectors.joining());
        }
    }

    record TextNode(int pos, String text) implements Node {
        @Override
        public String toString() {
            return text;
        }
    }

    record ActionNode(int pos, PipeNode pipe) implements Node {
        @Override
        public String toString() {
            return "{{" + pipe + "}}";
        }
    }

    enum BranchKind { IF, RANGE, WITH }

    /** if, range and with share one shape. elseList is null when there is no {{else}}. */
    record BranchNode(BranchKind kind, int pos, PipeNode pipe, ListNode list, ListNode elseList) implements Node {
        @Override
        public String toString() {
            String name = kind.name().toLowerCase();
            return "{{" + name + " " + pipe + "}}" + list + (elseList == null ? "" : "{{else}}" + elseList) + "{{end}}";
        }
    }

    record BreakNode(int pos) implements Node {
        @Override
        public String toString() {
            return "{{break}}";
        }
    }

    record ContinueNode(int pos) implements Node {
        @Override
        public String toString() {
            return "{{continue}}";
        }
    }

    /** {{template "name" pipeline}}; pipe is null when absent. */
    record TemplateNode(int pos, String name, PipeNode pipe) implements Node {
        @Override
        public String toString() {
            return "{{template " + GoText.quote(name) + (pipe == null ? "" : " " + pipe) + "}}";
        }
    }

    /** A pipeline, with optional variable declarations ($x :=) or assignments ($x =). */
    record PipeNode(int pos, boolean isAssign, List<VariableNode> decl, List<CommandNode> cmds) implements Node {
        @Override
        public String toString() {
            String vars = decl.isEmpty() ? ""
                    : decl.stream().map(Node::toString).collect(Collectors.joining(", ")) + " := ";
            return vars + cmds.stream().map(Node::toString).collect(Collectors.joining(" | "));
        }
    }

    record CommandNode(int pos, List<Node> args) implements Node {
        @Override
        public String toString() {
            return args.stream()
                    .map(a -> a instanceof PipeNode ? "(" + a + ")" : a.toString())
                    .collect(Collectors.joining(" "));
        }
    }

    /** A function name. */
    record IdentifierNode(int pos, String ident) implements Node {
        @Override
        public String toString() {
            return ident;
        }
    }

    /** $x, possibly followed by fields: $x.A.B has ident [$x, A, B]. */
    record VariableNode(int pos, List<String> ident) implements Node {
        @Override
        public String toString() {
            return String.join(".", ident);
        }
    }

    record DotNode(int pos) implements Node {
        @Override
        public String toString() {
            return ".";
        }
    }

    record NilNode(int pos) implements Node {
        @Override
        public String toString() {
            return "nil";
        }
    }

    /** .A.B has ident [A, B]. */
    record FieldNode(int pos, List<String> ident) implements Node {
        @Override
        public String toString() {
            return ident.stream().map(i -> "." + i).collect(Collectors.joining());
        }
    }

    /** A term followed by fields, such as (index . 0).Name. */
    record ChainNode(int pos, Node node, List<String> fields) implements Node {
        @Override
        public String toString() {
            String head = node instanceof PipeNode ? "(" + node + ")" : node.toString();
            return head + fields.stream().map(f -> "." + f).collect(Collectors.joining());
        }
    }

    record BoolNode(int pos, boolean value) implements Node {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /**
     * A numeric constant, kept under every type that can represent it, as Go's ideal constants are.
     * Complex constants are not supported.
     */
    record NumberNode(int pos, String text, boolean isInt, long intValue, boolean isUint, boolean isFloat,
                      double floatValue) implements Node {
        @Override
        public String toString() {
            return text;
        }
    }

    record StringNode(int pos, String quoted, String text) implements Node {
        @Override
        public String toString() {
            return quoted;
        }
    }

    /** {{end}} and {{else}} only exist while parsing. */
    record EndNode(int pos) implements Node {
        @Override
        public String toString() {
            return "{{end}}";
        }
    }

    record ElseNode(int pos) implements Node {
        @Override
        public String toString() {
            return "{{else}}";
        }
    }
}
