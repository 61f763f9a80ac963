package dev.berth.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * Cmd and Entrypoint arrive as an array or, from old clients, as one string (which Docker splits on white space).
 * JSON null and absence both mean "not set", which differs from an empty list: {@code --entrypoint ""} sends [""]
 * or [] to clear the image's entrypoint.
 */
public record StringOrList(List<String> values) {

    @JsonCreator
    public static StringOrList of(Object json) {
        return switch (json) {
            case null -> null;
            case String s -> new StringOrList(s.isBlank() ? List.of() : List.of(s.trim().split("\\s+")));
            case List<?> list -> new StringOrList(list.stream().map(String::valueOf).toList());
            default -> throw new IllegalArgumentException("expected a string or an array of strings");
        };
    }

    @JsonValue
    public List<String> values() {
        return values;
    }
}
