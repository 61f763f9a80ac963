package dev.berth.engine.container;

import dev.berth.common.EngineException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code top}: the host's {@code ps} output cut down to one container's processes, as moby's daemon/top_unix.go does
 * it. The header gives the titles and the column of PID; the last column (the command) may hold spaces.
 */
public final class PsOutput {
    private PsOutput() {}

    /** The process table of a container: column titles, then one row per process. */
    public record Table(List<String> titles, List<List<String>> processes) {}

    private static final Pattern PID_RENAME = Pattern.compile("\\s+([^\\s]*)=\\s*(PID[^\\s]*)");

    /** Refuses {@code -o x=PID}: renaming another column to PID would make the filter pick the wrong one. */
    static void validateArgs(String psArgs) {
        var m = PID_RENAME.matcher(psArgs);
        while (m.find()) {
            if (!m.group(1).equals("pid")) {
                throw EngineException.invalid("specifying \"%s=%s\" is not allowed", m.group(1), m.group(2));
            }
        }
    }

    static Table parse(String output, Set<Integer> pids) {
        var lines = output.split("\n");
        if (lines.length == 0 || lines[0].isBlank()) throw EngineException.failure("ps printed nothing");
        List<String> titles = fields(lines[0]);
        int pidIndex = titles.indexOf("PID");
        if (pidIndex < 0) throw EngineException.failure("Couldn't find PID field in ps output");
        var rows = new ArrayList<List<String>>();
        for (int i = 1; i < lines.length; i++) {
            List<String> f = fields(lines[i]);
            if (f.size() <= pidIndex) continue;
            int pid;
            try {
                pid = Integer.parseInt(f.get(pidIndex));
            } catch (NumberFormatException e) {
                throw EngineException.failure("Unexpected pid '%s': %s", f.get(pidIndex), e.getMessage());
            }
            if (!pids.contains(pid)) continue;
            if (f.size() > titles.size()) {
                var row = new ArrayList<>(f.subList(0, titles.size() - 1));
                row.add(String.join(" ", f.subList(titles.size() - 1, f.size())));
                f = row;
            }
            rows.add(List.copyOf(f));
        }
        return new Table(titles, rows);
    }

    /** Fields split on ASCII blanks only, as moby's fieldsASCII (a command may contain other white space). */
    private static List<String> fields(String line) {
        return Arrays.stream(line.split("[ \t\r\n\u000b\f]+")).filter(s -> !s.isEmpty()).toList();
    }
}
