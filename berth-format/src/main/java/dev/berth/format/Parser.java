package dev.berth.format;

import dev.berth.format.Node.ActionNode;
import dev.berth.format.Node.BoolNode;
import dev.berth.format.Node.BranchKind;
import dev.berth.format.Node.BranchNode;
import dev.berth.format.Node.BreakNode;
import dev.berth.format.Node.ChainNode;
import dev.berth.format.Node.CommandNode;
import dev.berth.format.Node.ContinueNode;
import dev.berth.format.Node.DotNode;
import dev.berth.format.Node.ElseNode;
import dev.berth.format.Node.EndNode;
import dev.berth.format.Node.FieldNode;
import dev.berth.format.Node.IdentifierNode;
import dev.berth.format.Node.ListNode;
import dev.berth.format.Node.NilNode;
import dev.berth.format.Node.PipeNode;
import dev.berth.format.Node.StringNode;
import dev.berth.format.Node.TemplateNode;
import dev.berth.format.Node.TextNode;
import dev.berth.format.Node.VariableNode;
import dev.berth.format.Token.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser with the grammar, checks and error texts of Go's text/template/parse
 * (Tree.parse and friends). Errors read {@code template: :LINE: message}, LINE being that of the
 * furthest token read, as in Go.
 */
final class Parser {

    /** The name templates are parsed under; Docker parses its formats as "". */
    static final String NAME = "";

    /** Go allows 10000 nested parentheses; each level costs several Java frames, and 500 overflowed a default stack. */
    private static final int MAX_PAREN_DEPTH = 100;

    private final TokenStream in;
    private final Set<String> functions;
    private final Map<String, ListNode> trees;
    private List<String> vars = new ArrayList<>(List.of("$"));
    private int rangeDepth;
    private int parenDepth;

    private Parser(List<Token> tokens, Set<String> functions, Map<String, ListNode> trees) {
        this.in = new TokenStream(tokens);
        this.functions = functions;
        this.trees = trees;
    }

    /** Parses source; the result maps "" to the main template and each {{define}} name to its body. */
    static Map<String, ListNode> parse(String source, Set<String> functions) {
        Map<String, ListNode> trees = new LinkedHashMap<>();
        Parser p = new Parser(Lexer.lex(source), functions, trees);
        ListNode root = p.parseTop();
        p.add(NAME, root);
        return Map.copyOf(trees);
    }

    // ---- structure

    private void add(String name, ListNode root) {
        ListNode existing = trees.get(name);
        if (existing == null || isEmptyTree(existing)) {
            trees.put(name, root);
        } else if (!isEmptyTree(root)) {
            throw in.error("template: multiple definition of template " + GoText.quote(name));
        }
    }

    private static boolean isEmptyTree(Node n) {
        return switch (n) {
            case ListNode l -> l.nodes().stream().allMatch(Parser::isEmptyTree);
            case TextNode t -> t.text().isBlank();
            default -> false;
        };
    }

    private ListNode parseTop() {
        List<Node> nodes = new ArrayList<>();
        int pos = in.peek().pos();
        while (in.peek().type() != Type.EOF) {
            if (in.peek().type() == Type.LEFT_DELIM) {
                int mark = in.mark();
                in.next();
                if (in.nextNonSpace().type() == Type.DEFINE) {
                    parseDefinition();
                    continue;
                }
                in.reset(mark);
            }
            Node n = textOrAction();
            if (n instanceof EndNode || n instanceof ElseNode) {
                throw in.error("unexpected " + n);
            }
            nodes.add(n);
        }
        return new ListNode(pos, List.copyOf(nodes));
    }

    private void parseDefinition() {
        String context = "define clause";
        Token name = in.nextNonSpace();
        if (name.type() != Type.STRING && name.type() != Type.RAW_STRING) {
            throw in.unexpected(name, context);
        }
        String defined = unquote(name.val());
        in.expect(Type.RIGHT_DELIM, context);
        List<String> outer = vars;
        vars = new ArrayList<>(List.of("$"));
        Node[] end = new Node[1];
        ListNode body = itemList(end);
        if (!(end[0] instanceof EndNode)) {
            throw in.error("unexpected " + end[0] + " in " + context);
        }
        vars = outer;
        add(defined, body);
    }

    /** textOrAction* up to {{end}} or {{else}}, which is handed back in end[0]. */
    private ListNode itemList(Node[] end) {
        List<Node> nodes = new ArrayList<>();
        int pos = in.peekNonSpace().pos();
        while (in.peekNonSpace().type() != Type.EOF) {
            Node n = textOrAction();
            if (n instanceof EndNode || n instanceof ElseNode) {
                end[0] = n;
                return new ListNode(pos, List.copyOf(nodes));
            }
            nodes.add(n);
        }
        throw in.error("unexpected EOF");
    }

    private Node textOrAction() {
        Token t = in.nextNonSpace();
        return switch (t.type()) {
            case TEXT -> new TextNode(t.pos(), t.val());
            case LEFT_DELIM -> {
                in.actionLine = t.line();
                try {
                    yield action();
                } finally {
                    in.actionLine = 0;
                }
            }
            default -> throw in.unexpected(t, "input");
        };
    }

    private Node action() {
        Token t = in.nextNonSpace();
        return switch (t.type()) {
            case BLOCK -> blockControl();
            case BREAK, CONTINUE -> loopControl(t);
            case ELSE -> elseControl();
            case END -> new EndNode(in.expect(Type.RIGHT_DELIM, "end").pos());
            case IF -> parseControl(BranchKind.IF);
            case RANGE -> parseControl(BranchKind.RANGE);
            case WITH -> parseControl(BranchKind.WITH);
            case TEMPLATE -> templateControl();
            default -> {
                in.backup();
                yield new ActionNode(in.peek().pos(), pipeline("command", Type.RIGHT_DELIM));
            }
        };
    }

    private Node loopControl(Token t) {
        String word = "{{" + t.val() + "}}";
        Token after = in.nextNonSpace();
        if (after.type() != Type.RIGHT_DELIM) {
            throw in.unexpected(after, word);
        }
        if (rangeDepth == 0) {
            throw in.error(word + " outside {{range}}");
        }
        return t.type() == Type.BREAK ? new BreakNode(t.pos()) : new ContinueNode(t.pos());
    }

    private Node elseControl() {
        Token peek = in.peekNonSpace();
        // "{{else if" and "{{else with" leave the keyword pending for parseControl.
        if (peek.type() == Type.IF || peek.type() == Type.WITH) {
            return new ElseNode(peek.pos());
        }
        return new ElseNode(in.expect(Type.RIGHT_DELIM, "else").pos());
    }

    private BranchNode parseControl(BranchKind kind) {
        String context = kind.name().toLowerCase();
        int varsBefore = vars.size();
        try {
            PipeNode pipe = pipeline(context, Type.RIGHT_DELIM);
            if (kind == BranchKind.RANGE) {
                rangeDepth++;
            }
            Node[] next = new Node[1];
            ListNode list = itemList(next);
            if (kind == BranchKind.RANGE) {
                rangeDepth--;
            }
            ListNode elseList = null;
            if (next[0] instanceof ElseNode e) {
                // {{if a}}x{{else if b}}y{{end}} is {{if a}}x{{else}}{{if b}}y{{end}}{{end}}; likewise with.
                if (kind == BranchKind.IF && in.peek().type() == Type.IF) {
                    in.next();
                    elseList = new ListNode(e.pos(), List.of(parseControl(BranchKind.IF)));
                } else if (kind == BranchKind.WITH && in.peek().type() == Type.WITH) {
                    in.next();
                    elseList = new ListNode(e.pos(), List.of(parseControl(BranchKind.WITH)));
                } else {
                    elseList = itemList(next);
                    if (!(next[0] instanceof EndNode)) {
                        throw in.error("expected end; found " + next[0]);
                    }
                }
            }
            return new BranchNode(kind, pipe.pos(), pipe, list, elseList);
        } finally {
            vars = new ArrayList<>(vars.subList(0, varsBefore));
        }
    }

    private Node templateControl() {
        String context = "template clause";
        Token token = in.nextNonSpace();
        String name = templateName(token, context);
        PipeNode pipe = null;
        if (in.nextNonSpace().type() != Type.RIGHT_DELIM) {
            in.backup();
            pipe = pipeline(context, Type.RIGHT_DELIM);
        }
        return new TemplateNode(token.pos(), name, pipe);
    }

    private Node blockControl() {
        String context = "block clause";
        Token token = in.nextNonSpace();
        String name = templateName(token, context);
        PipeNode pipe = pipeline(context, Type.RIGHT_DELIM);
        List<String> outer = vars;
        int outerRange = rangeDepth;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        Node[] end = new Node[1];
        ListNode body = itemList(end);
        if (!(end[0] instanceof EndNode)) {
            throw in.error("unexpected " + end[0] + " in " + context);
        }
        vars = outer;
        rangeDepth = outerRange;
        add(name, body);
        return new TemplateNode(token.pos(), name, pipe);
    }

    private String templateName(Token token, String context) {
        if (token.type() != Type.STRING && token.type() != Type.RAW_STRING) {
            throw in.unexpected(token, context);
        }
        return unquote(token.val());
    }

    private String unquote(String literal) {
        try {
            return GoText.unquote(literal);
        } catch (IllegalArgumentException e) {
            throw in.error(e.getMessage());
        }
    }

    // ---- pipelines

    private PipeNode pipeline(String context, Type end) {
        int pos = in.peekNonSpace().pos();
        List<VariableNode> decl = new ArrayList<>();
        boolean isAssign = false;
        boolean again = true;
        while (again && in.peekNonSpace().type() == Type.VARIABLE) {
            again = false;
            int mark = in.mark();
            Token v = in.next();
            Token next = in.peekNonSpace();
            if (next.type() == Type.ASSIGN || next.type() == Type.DECLARE) {
                isAssign = next.type() == Type.ASSIGN;
                in.nextNonSpace();
                decl.add(variable(v));
                vars.add(v.val());
            } else if (next.type() == Type.CHAR && next.val().equals(",")) {
                in.nextNonSpace();
                decl.add(variable(v));
                vars.add(v.val());
                if (context.equals("range") && decl.size() < 2) {
                    Type t = in.peekNonSpace().type();
                    if (t == Type.VARIABLE || t == Type.RIGHT_DELIM || t == Type.RIGHT_PAREN) {
                        again = true; // the second variable of a range
                        continue;
                    }
                    throw in.error("range can only initialize variables");
                }
                throw in.error("too many declarations in " + context);
            } else {
                in.reset(mark); // $x is an operand, not a declaration
            }
        }
        List<CommandNode> cmds = new ArrayList<>();
        while (true) {
            Token t = in.nextNonSpace();
            if (t.type() == end) {
                checkPipeline(cmds, context);
                return new PipeNode(pos, isAssign, List.copyOf(decl), List.copyOf(cmds));
            }
            switch (t.type()) {
                case BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING,
                     VARIABLE, LEFT_PAREN -> {
                    in.backup();
                    cmds.add(command());
                }
                default -> throw in.unexpected(t, context);
            }
        }
    }

    private void checkPipeline(List<CommandNode> cmds, String context) {
        if (cmds.isEmpty()) {
            throw in.error("missing value for " + context);
        }
        for (int i = 1; i < cmds.size(); i++) {
            if (isConstant(cmds.get(i).args().getFirst())) {
                throw in.error("non executable command in pipeline stage " + (i + 1));
            }
        }
    }

    private CommandNode command() {
        int pos = in.peekNonSpace().pos();
        List<Node> args = new ArrayList<>();
        while (true) {
            in.peekNonSpace();
            Node operand = operand();
            if (operand != null) {
                args.add(operand);
            }
            Token t = in.next();
            if (t.type() == Type.SPACE) {
                continue;
            }
            if (t.type() == Type.RIGHT_DELIM || t.type() == Type.RIGHT_PAREN) {
                in.backup();
            } else if (t.type() != Type.PIPE) {
                throw in.unexpected(t, "operand");
            }
            break;
        }
        if (args.isEmpty()) {
            throw in.error("empty command");
        }
        return new CommandNode(pos, List.copyOf(args));
    }

    private Node operand() {
        Node node = term();
        if (node == null || in.peek().type() != Type.FIELD) {
            return node;
        }
        int pos = in.peek().pos();
        List<String> fields = new ArrayList<>();
        while (in.peek().type() == Type.FIELD) {
            fields.add(in.next().val().substring(1));
        }
        // Fields after a field or variable extend it; after other terms they form a chain.
        if (isConstant(node)) {
            throw in.error("unexpected . after term " + GoText.quote(node.toString()));
        }
        return switch (node) {
            case FieldNode f -> new FieldNode(pos, concat(f.ident(), fields));
            case VariableNode v -> new VariableNode(pos, concat(v.ident(), fields));
            default -> new ChainNode(pos, node, List.copyOf(fields));
        };
    }

    /** Terms that are values rather than something to execute or take fields of. */
    private static boolean isConstant(Node n) {
        return n instanceof BoolNode || n instanceof DotNode || n instanceof NilNode || n instanceof Node.NumberNode
                || n instanceof StringNode;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private Node term() {
        Token t = in.nextNonSpace();
        switch (t.type()) {
            case IDENTIFIER -> {
                if (!functions.contains(t.val())) {
                    throw in.error("function " + GoText.quote(t.val()) + " not defined");
                }
                return new IdentifierNode(t.pos(), t.val());
            }
            case DOT -> {
                return new DotNode(t.pos());
            }
            case NIL -> {
                return new NilNode(t.pos());
            }
            case VARIABLE -> {
                VariableNode v = variable(t);
                if (!vars.contains(v.ident().getFirst())) {
                    throw in.error("undefined variable " + GoText.quote(v.ident().getFirst()));
                }
                return v;
            }
            case FIELD -> {
                return new FieldNode(t.pos(), List.of(t.val().substring(1)));
            }
            case BOOL -> {
                return new BoolNode(t.pos(), t.val().equals("true"));
            }
            case CHAR_CONSTANT, COMPLEX, NUMBER -> {
                try {
                    return Numbers.parse(t.pos(), t.val(), t.type());
                } catch (IllegalArgumentException e) {
                    throw in.error(e.getMessage());
                }
            }
            case LEFT_PAREN -> {
                if (parenDepth >= MAX_PAREN_DEPTH) {
                    throw in.error("max expression depth exceeded");
                }
                parenDepth++;
                try {
                    return pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
                } finally {
                    parenDepth--;
                }
            }
            case STRING, RAW_STRING -> {
                return new StringNode(t.pos(), t.val(), unquote(t.val()));
            }
            default -> {
                in.backup();
                return null;
            }
        }
    }

    private static VariableNode variable(Token t) {
        return new VariableNode(t.pos(), List.copyOf(Arrays.asList(t.val().split("\\.", -1))));
    }
}
