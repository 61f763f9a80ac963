package dev.berth.runtime.conmon;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where {@link ConmonRuntime} keeps its state, all under one directory of the daemon's exec root (a tmpfs such as
 * {@code /run/berth/runtime}), so that a restarted daemon finds every task from disk alone:
 * <pre>
 * runc/&lt;id&gt;/state.json      runc's own record ({@code runc --root runc/}); private to this daemon
 * exits/&lt;id&gt;                 the exit status conmon writes when the task ends (watched with inotify)
 * tasks/&lt;id&gt;/bundle          symlink to the caller's bundle, where conmon binds {@code attach} and the {@code ctl}
 *                            and {@code winsz} FIFOs ({@code --full-attach})
 * tasks/&lt;id&gt;/conmon.pid      the monitor's pid; tasks/&lt;id&gt;/pidfile: the container's init pid (runc --pid-file)
 * tasks/&lt;id&gt;/exit, oom       conmon's persist dir ({@code -0}): a copy of the exit status, and "oom" if the
 *                            kernel OOM-killed something in the task's memory cgroup
 * sockets/                   conmon's --socket-dir-path (unused with --full-attach, but conmon wants one)
 * </pre>
 */
record StateLayout(Path root) {

    /** runc's rule for container ids; it also keeps an id from naming anything outside these directories. */
    private static final Pattern ID = Pattern.compile("[\\w+.-]+");

    StateLayout {
        root = root.toAbsolutePath().normalize();
    }

    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("invalid task id: " + id);
        }
        return id;
    }

    Path runcRoot() { return root.resolve("runc"); }

    Path runcState(String id) { return runcRoot().resolve(checkId(id)); }

    Path exits() { return root.resolve("exits"); }

    Path exitFile(String id) { return exits().resolve(checkId(id)); }

    Path tasks() { return root.resolve("tasks"); }

    Path taskDir(String id) { return tasks().resolve(checkId(id)); }

    Path bundleLink(String id) { return taskDir(id).resolve("bundle"); }

    Path attachSocket(String id) { return bundleLink(id).resolve("attach"); }

    Path ctlFifo(String id) { return bundleLink(id).resolve("ctl"); }

    Path conmonPidFile(String id) { return taskDir(id).resolve("conmon.pid"); }

    Path containerPidFile(String id) { return taskDir(id).resolve("pidfile"); }

    Path oomFile(String id) { return taskDir(id).resolve("oom"); }

    Path sockets() { return root.resolve("sockets"); }
}
