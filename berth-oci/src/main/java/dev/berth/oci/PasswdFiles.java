package dev.berth.oci;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parsers for {@code /etc/passwd} and {@code /etc/group} with moby/sys/user's leniency: blank and {@code #} lines are
 * skipped, missing fields are empty, and a malformed number reads as 0 (some images ship odd files).
 */
final class PasswdFiles {
    private PasswdFiles() {}

    /** {@code name:password:uid:gid:gecos:home:shell} */
    record PasswdEntry(String name, long uid, long gid, String home) {}

    /** {@code name:password:gid:member,member} */
    record GroupEntry(String name, long gid, List<String> members) {}

    static List<PasswdEntry> parsePasswd(String text) {
        var out = new ArrayList<PasswdEntry>();
        for (var line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            var f = line.split(":", -1);
            out.add(new PasswdEntry(field(f, 0), number(field(f, 2)), number(field(f, 3)), field(f, 5)));
        }
        return out;
    }

    static List<GroupEntry> parseGroup(String text) {
        var out = new ArrayList<GroupEntry>();
        for (var line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            var f = line.split(":", -1);
            var list = field(f, 3);
            out.add(new GroupEntry(field(f, 0), number(field(f, 2)),
                    list.isEmpty() ? List.of() : Arrays.asList(list.split(","))));
        }
        return out;
    }

    private static String field(String[] fields, int i) {
        return i < fields.length ? fields[i] : "";
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
