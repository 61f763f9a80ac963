package dev.berth.runtime.conmon;

import dev.berth.common.Json;
import dev.berth.runtime.Runtime.RuntimeFailure;
import dev.berth.runtime.Runtime.Status;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runc commands the runtime runs itself (conmon runs {@code runc create}). Every command carries
 * {@code --root <stateDir>/runc}, so two daemons on one host never see each other's containers, plus the configured
 * global arguments. Failures carry runc's own error text.
 */
final class RuncClient {

    private final List<String> prefix;

    RuncClient(Path runc, Path root, List<String> globalArgs) {
        List<String> p = new ArrayList<>();
        p.add(runc.toString());
        p.add("--root");
        p.add(root.toString());
        p.addAll(globalArgs);
        this.prefix = List.copyOf(p);
    }

    /** The arguments conmon should pass to runc ahead of "create" (everything after the binary). */
    List<String> globalArgs() {
        return prefix.subList(1, prefix.size());
    }

    void start(String id) { run("start", id); }

    void kill(String id, int signal, boolean all) {
        if (all) run("kill", "--all", id, Integer.toString(signal));
        else run("kill", id, Integer.toString(signal));
    }

    void pause(String id) { run("pause", id); }

    void resume(String id) { run("resume", id); }

    /** {@code runc update} with a flag for each limit that is set. */
    void update(String id, dev.berth.runtime.Runtime.ResourceUpdate r) {
        List<String> args = new ArrayList<>(List.of("update"));
        flag(args, "--memory", r.memory());
        flag(args, "--memory-reservation", r.memoryReservation());
        flag(args, "--memory-swap", r.memorySwap());
        flag(args, "--cpu-share", r.cpuShares());
        flag(args, "--cpu-period", r.cpuPeriod());
        flag(args, "--cpu-quota", r.cpuQuota());
        flag(args, "--cpuset-cpus", r.cpusetCpus());
        flag(args, "--cpuset-mems", r.cpusetMems());
        flag(args, "--pids-limit", r.pidsLimit());
        args.add(id);
        run(args.toArray(String[]::new));
    }

    private static void flag(List<String> args, String name, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            args.add(name);
            args.add(value.toString());
        }
    }

    void delete(String id, boolean force) {
        if (force) run("delete", "--force", id);
        else run("delete", id);
    }

    /** {@code runc state}: the fields of its JSON the runtime uses. */
    record State(String id, int pid, String status, String bundle) {
        Status toStatus() {
            return switch (status) {
                case "creating", "created" -> Status.CREATED;
                case "running" -> Status.RUNNING;
                case "pausing", "paused" -> Status.PAUSED;
                case "stopped" -> Status.STOPPED;
                default -> throw new RuntimeFailure("runc reports unknown status \"" + status + "\" for " + id);
            };
        }
    }

    State state(String id) {
        String json = run("state", id);
        try {
            return Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), State.class);
        } catch (RuntimeException e) {
            throw new RuntimeFailure("cannot parse runc state of " + id + ": " + e.getMessage(), e);
        }
    }

    private String run(String... args) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(args));
        CommandRunner.Result r = CommandRunner.run(argv);
        if (!r.ok()) throw new RuntimeFailure(errorText(r.stderr(), "runc " + args[0] + " exited with status " + r.exitCode()));
        return r.stdout();
    }

    // runc logs through logrus: text lines like  time="..." level=error msg="runc create failed: ..."
    // (or JSON objects with --log-format json). The user wants the msg, not the decoration.
    private static final Pattern TEXT_FIELD = Pattern.compile("(\\w+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S*)");

    /**
     * The error message in runc's (or conmon's) stderr: the msg of each error-level logrus line, or the whole
     * trimmed text when it is not logrus output; {@code fallback} when there is nothing at all.
     */
    static String errorText(String stderr, String fallback) {
        List<String> errors = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            String level = null, msg = null;
            if (line.startsWith("{")) {
                try {
                    var node = Json.MAPPER.readTree(line);
                    level = node.path("level").asString(null);
                    msg = node.path("msg").asString(null);
                } catch (RuntimeException e) {
                    // not JSON after all; keep the line as text below
                }
            } else {
                Matcher m = TEXT_FIELD.matcher(line);
                while (m.find()) {
                    String value = m.group(3) != null ? unquote(m.group(3)) : m.group(2);
                    if (m.group(1).equals("level")) level = value;
                    else if (m.group(1).equals("msg")) msg = value;
                }
            }
            if (msg != null && level != null && (level.equals("error") || level.equals("fatal"))) errors.add(msg);
        }
        if (!errors.isEmpty()) return String.join("; ", errors);
        String trimmed = stderr.strip();
        return trimmed.isEmpty() ? fallback : trimmed;
    }

    /** Undoes Go's %q quoting for the escapes logrus produces. */
    private static String unquote(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
