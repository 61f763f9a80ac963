package dev.berth.format;

import dev.berth.format.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a template into tokens following Go's text/template/parse lexer, including its trim markers
 * ({@code {{- } and {@code  -}}}), comments and error texts. Lexing stops at the first error token;
 * the parser reports it when it gets there, so earlier syntax errors win as they do in Go.
 */
final class Lexer {

    private static final String LEFT = "{{";
    private static final String RIGHT = "}}";
    private static final int EOF = -1;

    private static final Map<String, Type> KEYWORDS = Map.ofEntries(
            Map.entry("block", Type.BLOCK), Map.entry("break", Type.BREAK), Map.entry("continue", Type.CONTINUE),
            Map.entry("define", Type.DEFINE), Map.entry("else", Type.ELSE), Map.entry("end", Type.END),
            Map.entry("if", Type.IF), Map.entry("range", Type.RANGE), Map.entry("nil", Type.NIL),
            Map.entry("template", Type.TEMPLATE), Map.entry("with", Type.WITH));

    @FunctionalInterface
    private interface State {
        State next();
    }

    private final String input;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int start;
    private int width;
    private int parenDepth;
    private int countedTo;
    private int linesBefore;

    private Lexer(String input) {
        this.input = input;
    }

    static List<Token> lex(String input) {
        Lexer l = new Lexer(input);
        for (State s = l::lexText; s != null; ) {
            s = s.next();
        }
        return List.copyOf(l.tokens);
    }

    // ---- primitives

    private int next() {
        if (pos >= input.length()) {
            width = 0;
            return EOF;
        }
        int cp = input.codePointAt(pos);
        width = Character.charCount(cp);
        pos += width;
        return cp;
    }

    private int peek() {
        int cp = next();
        backup();
        return cp;
    }

    private void backup() {
        pos -= width;
    }

    /** 1 + the newlines before offset; offsets only grow, so counting resumes where it stopped. */
    private int lineAt(int offset) {
        for (; countedTo < offset; countedTo++) {
            if (input.charAt(countedTo) == '\n') {
                linesBefore++;
            }
        }
        return 1 + linesBefore;
    }

    private void emit(Type type) {
        tokens.add(new Token(type, start, input.substring(start, pos), lineAt(start)));
        start = pos;
    }

    private void ignore() {
        start = pos;
    }

    private State error(String message) {
        tokens.add(new Token(Type.ERROR, start, message, lineAt(start)));
        return null;
    }

    private boolean accept(String valid) {
        if (valid.indexOf(next()) >= 0) {
            return true;
        }
        backup();
        return false;
    }

    private void acceptRun(String valid) {
        while (valid.indexOf(next()) >= 0) {
            // absorb
        }
        backup();
    }

    private static boolean isSpace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n';
    }

    private static boolean isAlphaNumeric(int cp) {
        return cp == '_' || Character.isLetter(cp) || Character.isDigit(cp);
    }

    private boolean hasLeftTrimMarker(int at) {
        return at + 1 < input.length() && input.charAt(at) == '-' && isSpace(input.charAt(at + 1));
    }

    private boolean hasRightTrimMarker(int at) {
        return at + 1 < input.length() && isSpace(input.charAt(at)) && input.charAt(at + 1) == '-';
    }

    /** Whether pos is at "}}" or at " -}}"; the second element says which. */
    private boolean[] atRightDelim() {
        if (hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2)) {
            return new boolean[] {true, true};
        }
        return new boolean[] {input.startsWith(RIGHT, pos), false};
    }

    private boolean atTerminator() {
        int r = peek();
        if (isSpace(r)) {
            return true;
        }
        return switch (r) {
            case EOF, '.', ',', '|', ':', ')', '(' -> true;
            default -> input.startsWith(RIGHT, pos);
        };
    }

    // ---- states

    private State lexText() {
        int x = input.indexOf(LEFT, pos);
        if (x < 0) {
            pos = input.length();
            if (pos > start) {
                emit(Type.TEXT);
            }
            emit(Type.EOF);
            return null;
        }
        pos = x;
        int trim = 0;
        if (hasLeftTrimMarker(x + LEFT.length())) {
            trim = trailingSpaceLength(input.substring(start, pos));
        }
        pos -= trim;
        if (pos > start) {
            emit(Type.TEXT);
        }
        pos += trim;
        ignore();
        return this::lexLeftDelim;
    }

    private static int trailingSpaceLength(String s) {
        int n = s.length();
        while (n > 0 && isSpace(s.charAt(n - 1))) {
            n--;
        }
        return s.length() - n;
    }

    private static int leadingSpaceLength(String s, int from) {
        int n = from;
        while (n < s.length() && isSpace(s.charAt(n))) {
            n++;
        }
        return n - from;
    }

    private State lexLeftDelim() {
        pos += LEFT.length();
        int afterMarker = hasLeftTrimMarker(pos) ? 2 : 0;
        if (input.startsWith("/*", pos + afterMarker)) {
            pos += afterMarker;
            ignore();
            return this::lexComment;
        }
        emit(Type.LEFT_DELIM);
        pos += afterMarker;
        ignore();
        parenDepth = 0;
        return this::lexInsideAction;
    }

    private State lexComment() {
        pos += 2;
        int end = input.indexOf("*/", pos);
        if (end < 0) {
            return error("unclosed comment");
        }
        pos = end + 2;
        boolean[] delim = atRightDelim();
        if (!delim[0]) {
            return error("comment ends before closing delimiter");
        }
        pos += (delim[1] ? 2 : 0) + RIGHT.length();
        if (delim[1]) {
            pos += leadingSpaceLength(input, pos);
        }
        ignore();
        return this::lexText;
    }

    private State lexRightDelim() {
        boolean trim = hasRightTrimMarker(pos);
        if (trim) {
            pos += 2;
            ignore();
        }
        pos += RIGHT.length();
        emit(Type.RIGHT_DELIM);
        if (trim) {
            pos += leadingSpaceLength(input, pos);
            ignore();
        }
        return this::lexText;
    }

    private State lexInsideAction() {
        if (atRightDelim()[0]) {
            return parenDepth == 0 ? this::lexRightDelim : error("unclosed left paren");
        }
        int r = next();
        if (r == EOF) {
            return error("unclosed action");
        }
        if (isSpace(r)) {
            backup(); // the space may belong to a " -}}" marker
            return this::lexSpace;
        }
        switch (r) {
            case '=' -> emit(Type.ASSIGN);
            case ':' -> {
                if (next() != '=') {
                    return error("expected :=");
                }
                emit(Type.DECLARE);
            }
            case '|' -> emit(Type.PIPE);
            case '"' -> {
                return this::lexQuote;
            }
            case '`' -> {
                return this::lexRawQuote;
            }
            case '$' -> {
                return this::lexVariable;
            }
            case '\'' -> {
                return this::lexChar;
            }
            case '(' -> {
                emit(Type.LEFT_PAREN);
                parenDepth++;
            }
            case ')' -> {
                emit(Type.RIGHT_PAREN);
                parenDepth--;
                if (parenDepth < 0) {
                    return error("unexpected right paren " + GoText.formatRune(r));
                }
            }
            default -> {
                if (r == '.' && pos < input.length() && (input.charAt(pos) < '0' || input.charAt(pos) > '9')) {
                    return () -> lexFieldOrVariable(Type.FIELD);
                }
                if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
                    backup();
                    return this::lexNumber;
                }
                if (isAlphaNumeric(r)) {
                    backup();
                    return this::lexIdentifier;
                }
                if (r <= 0x7f && GoText.isPrint(r)) {
                    emit(Type.CHAR);
                } else {
                    return error("unrecognized character in action: " + GoText.formatRune(r));
                }
            }
        }
        return this::lexInsideAction;
    }

    private State lexSpace() {
        int spaces = 0;
        while (isSpace(peek())) {
            next();
            spaces++;
        }
        // A space followed by "-}}" is a trim marker, not an argument separator.
        if (hasRightTrimMarker(pos - 1) && input.startsWith(RIGHT, pos + 1)) {
            pos--;
            if (spaces == 1) {
                return this::lexRightDelim;
            }
        }
        emit(Type.SPACE);
        return this::lexInsideAction;
    }

    private State lexIdentifier() {
        int r;
        do {
            r = next();
        } while (isAlphaNumeric(r));
        backup();
        String word = input.substring(start, pos);
        if (!atTerminator()) {
            return error("bad character " + GoText.formatRune(r));
        }
        Type keyword = KEYWORDS.get(word);
        if (keyword != null) {
            emit(keyword);
        } else if (word.equals("true") || word.equals("false")) {
            emit(Type.BOOL);
        } else {
            emit(Type.IDENTIFIER);
        }
        return this::lexInsideAction;
    }

    private State lexVariable() {
        if (atTerminator()) {
            emit(Type.VARIABLE); // a bare "$"
            return this::lexInsideAction;
        }
        return lexFieldOrVariable(Type.VARIABLE);
    }

    private State lexFieldOrVariable(Type type) {
        if (atTerminator()) {
            emit(type == Type.VARIABLE ? Type.VARIABLE : Type.DOT);
            return this::lexInsideAction;
        }
        int r;
        do {
            r = next();
        } while (isAlphaNumeric(r));
        backup();
        if (!atTerminator()) {
            return error("bad character " + GoText.formatRune(r));
        }
        emit(type);
        return this::lexInsideAction;
    }

    private State lexChar() {
        while (true) {
            int r = next();
            if (r == '\\') {
                r = next();
                if (r != EOF && r != '\n') {
                    continue;
                }
            }
            if (r == EOF || r == '\n') {
                return error("unterminated character constant");
            }
            if (r == '\'') {
                break;
            }
        }
        emit(Type.CHAR_CONSTANT);
        return this::lexInsideAction;
    }

    private State lexQuote() {
        while (true) {
            int r = next();
            if (r == '\\') {
                r = next();
                if (r != EOF && r != '\n') {
                    continue;
                }
            }
            if (r == EOF || r == '\n') {
                return error("unterminated quoted string");
            }
            if (r == '"') {
                break;
            }
        }
        emit(Type.STRING);
        return this::lexInsideAction;
    }

    private State lexRawQuote() {
        while (true) {
            int r = next();
            if (r == EOF) {
                return error("unterminated raw quoted string");
            }
            if (r == '`') {
                break;
            }
        }
        emit(Type.RAW_STRING);
        return this::lexInsideAction;
    }

    private State lexNumber() {
        if (!scanNumber()) {
            return error("bad number syntax: " + GoText.quote(input.substring(start, pos)));
        }
        int sign = peek();
        if (sign == '+' || sign == '-') {
            // A complex constant such as 1+2i: no spaces, must end in 'i'.
            if (!scanNumber() || input.charAt(pos - 1) != 'i') {
                return error("bad number syntax: " + GoText.quote(input.substring(start, pos)));
            }
            emit(Type.COMPLEX);
        } else {
            emit(Type.NUMBER);
        }
        return this::lexInsideAction;
    }

    private boolean scanNumber() {
        accept("+-");
        String digits = "0123456789_";
        if (accept("0")) {
            // A leading 0 does not mean octal in floats.
            if (accept("xX")) {
                digits = "0123456789abcdefABCDEF_";
            } else if (accept("oO")) {
                digits = "01234567_";
            } else if (accept("bB")) {
                digits = "01_";
            }
        }
        acceptRun(digits);
        if (accept(".")) {
            acceptRun(digits);
        }
        if (digits.length() == 11 && accept("eE")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        if (digits.length() == 23 && accept("pP")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        accept("i");
        if (isAlphaNumeric(peek())) {
            next();
            return false;
        }
        return true;
    }
}
