package dev.berth.format;

/**
 * One lexical item of a template, as Go's text/template/parse produces them.
 *
 * @param pos  character offset of the item in the source
 * @param line 1-based line on which the item starts
 */
record Token(Type type, int pos, String val, int line) {

    enum Type {
        ERROR, BOOL, CHAR, CHAR_CONSTANT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER, LEFT_DELIM,
        LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE,
        // Keywords: printed as <word> in error messages.
        BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH;

        boolean isKeyword() {
            return ordinal() >= BLOCK.ordinal();
        }
    }

    /** Renders the item the way Go's item.String does, which is what parse errors quote. */
    @Override
    public String toString() {
        if (type == Type.EOF) {
            return "EOF";
        }
        if (type == Type.ERROR) {
            return val;
        }
        if (type.isKeyword()) {
            return "<" + val + ">";
        }
        if (GoText.utf8Length(val) > 10) {
            // %.10q: the first ten runes, quoted, then an ellipsis.
            int end = val.offsetByCodePoints(0, Math.min(10, val.codePointCount(0, val.length())));
            return GoText.quote(val.substring(0, end)) + "...";
        }
        return GoText.quote(val);
    }
}
