package dev.berth.format;

/**
 * A template that does not parse, or fails while executing. The message is Go's text, for example
 * {@code template: :1: function "foo" not defined} or
 * {@code template: :1:2: executing "" at <.Foo.Bar>: map has no entry for key "Foo"}.
 */
public class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }
}
