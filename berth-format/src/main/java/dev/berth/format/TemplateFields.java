package dev.berth.format;

import java.util.List;
import java.util.Set;

/**
 * A row whose template fields are computed, like docker/cli's formatter contexts: {@code .ID},
 * {@code .Names}, {@code .RunningFor}, and methods that take arguments such as {@code .Label "key"}.
 *
 * <p>{@code {{.Name}}} calls {@code call("Name", [])}, {@code {{.Label "a"}}} calls {@code call("Label", ["a"])}
 * (arguments are evaluated to plain values, and a value piped in comes last). The default {@code call}
 * serves argument-less calls from {@link #field}. Return {@link #NO_SUCH_FIELD} for a name the row does
 * not have; the template then fails with {@code can't evaluate field X in type T}. To reject a call with
 * Go's own wording (such as {@code wrong number of args for Label: want 1 got 0}) throw a
 * {@link TemplateException}; any other runtime exception is reported as {@code error calling X: message}.
 */
public interface TemplateFields {

    /** What {@link #field} and {@link #call} return for a name that is not a field of this row. */
    Object NO_SUCH_FIELD = Lookup.NO_SUCH_FIELD;

    /** The value of an argument-less field, or {@link #NO_SUCH_FIELD}. */
    Object field(String name);

    /** The names that {@code {{json .}}} writes (docker/cli writes every argument-less method). */
    Set<String> fieldNames();

    /** The value of a field or method called with arguments, or {@link #NO_SUCH_FIELD}. */
    default Object call(String name, List<Object> args) {
        return args.isEmpty() ? field(name) : NO_SUCH_FIELD;
    }

    /** The Go type name errors quote, for example {@code *formatter.ContainerContext}. */
    default String typeName() {
        return getClass().getSimpleName();
    }

    /** The marker type of {@link #NO_SUCH_FIELD}. */
    enum Lookup { NO_SUCH_FIELD }
}
