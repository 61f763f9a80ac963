package dev.berth.format;

import java.util.ArrayList;
import java.util.List;

/**
 * The push-down stack of template variables ($, $x, ...) of one template invocation. Control structures
 * take a mark on entry and pop back to it on exit, which is what scopes variables to their {{end}}.
 */
final class Variables {

    private final List<String> names = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    void push(String name, Object value) {
        names.add(name);
        values.add(value);
    }

    int mark() {
        return names.size();
    }

    void pop(int mark) {
        names.subList(mark, names.size()).clear();
        values.subList(mark, values.size()).clear();
    }

    /** Overwrites the innermost variable of that name; false if there is none. */
    boolean set(String name, Object value) {
        int i = names.lastIndexOf(name);
        if (i < 0) {
            return false;
        }
        values.set(i, value);
        return true;
    }

    /** Overwrites the n-th variable from the top (1 is the top), as range does for its variables. */
    void setTop(int n, Object value) {
        values.set(values.size() - n, value);
    }

    boolean isDefined(String name) {
        return names.contains(name);
    }

    /** The innermost variable of that name; check {@link #isDefined} first. */
    Object get(String name) {
        return values.get(names.lastIndexOf(name));
    }
}
