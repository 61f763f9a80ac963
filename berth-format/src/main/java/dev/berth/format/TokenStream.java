package dev.berth.format;

import dev.berth.format.Token.Type;
import java.util.List;

/**
 * The parser's view of the tokens: one-token steps forward and back, skipping of spaces, and parse errors
 * in Go's form {@code template: :LINE: message}, LINE being that of the furthest token read so far (Go
 * reports the line of its latest lookahead token).
 */
final class TokenStream {

    private final List<Token> tokens;
    private int index;
    private int furthest;
    /** Line of the {{ that opened the action being parsed, 0 outside actions. */
    int actionLine;

    TokenStream(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token next() {
        int i = Math.min(index, tokens.size() - 1);
        furthest = Math.max(furthest, i);
        index++;
        return tokens.get(i);
    }

    void backup() {
        index--;
    }

    int mark() {
        return index;
    }

    void reset(int mark) {
        index = mark;
    }

    Token peek() {
        Token t = next();
        backup();
        return t;
    }

    Token nextNonSpace() {
        Token t;
        do {
            t = next();
        } while (t.type() == Type.SPACE);
        return t;
    }

    Token peekNonSpace() {
        Token t = nextNonSpace();
        backup();
        return t;
    }

    TemplateException error(String message) {
        return new TemplateException("template: " + Parser.NAME + ":" + tokens.get(furthest).line() + ": " + message);
    }

    Token expect(Type expected, String context) {
        Token t = nextNonSpace();
        if (t.type() != expected) {
            throw unexpected(t, context);
        }
        return t;
    }

    /** A lexical error token reports itself; anything else is "unexpected X in context". */
    TemplateException unexpected(Token t, String context) {
        if (t.type() == Type.ERROR) {
            String extra = "";
            if (actionLine != 0 && actionLine != t.line()) {
                extra = (t.val().endsWith(" action") ? " started at " : " in action started at ")
                        + Parser.NAME + ":" + actionLine;
            }
            return error(t.val() + extra);
        }
        return error("unexpected " + t + " in " + context);
    }
}
