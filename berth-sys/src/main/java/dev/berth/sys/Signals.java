package dev.berth.sys;

import dev.berth.common.EngineException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Linux signal names and numbers as Docker reads them: {@code docker kill -s}, {@code --stop-signal} and the image's
 * {@code StopSignal} accept "SIGTERM", "TERM", "term" or "15" (moby/sys {@code signal.ParseSignal}, with the Linux
 * table of {@code signal_linux.go}: the 31 classic signals plus RTMIN..RTMIN+15 and RTMAX-14..RTMAX).
 */
public final class Signals {
    private Signals() {}

    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
            SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19, SIGWINCH = 28;

    /** glibc reserves 32 and 33 for its threads, so Docker (like Go's runtime) starts the RT range at 34. */
    private static final int SIGRTMIN = 34, SIGRTMAX = 64;

    /** Name (without "SIG") to number; aliases (IOT, CLD, POLL) come after the primary name. */
    private static final Map<String, Integer> BY_NAME = table();

    private static Map<String, Integer> table() {
        Map<String, Integer> m = new LinkedHashMap<>();
        String[] classic = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
                "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
                "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
        for (int n = 1; n < classic.length; n++) m.put(classic[n], n);
        m.put("IOT", 6);
        m.put("CLD", 17);
        m.put("POLL", 29);
        m.put("RTMIN", SIGRTMIN);
        for (int i = 1; i <= 15; i++) m.put("RTMIN+" + i, SIGRTMIN + i);
        for (int i = 14; i >= 1; i--) m.put("RTMAX-" + i, SIGRTMAX - i);
        m.put("RTMAX", SIGRTMAX);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The signal number for {@code raw}, with Docker's messages on failure: "invalid signal: X" for an unknown name
     * or 0, "the linux daemon does not support signal N" for a number outside the Linux table (moby
     * {@code daemon/kill.go} checks this after parsing).
     *
     * @throws EngineException.InvalidArgument for anything Docker rejects
     */
    public static int parse(String raw) {
        if (raw == null || raw.isEmpty()) throw EngineException.invalid("invalid signal: %s", raw == null ? "" : raw);
        Integer number = parseNumber(raw);
        if (number != null) {
            if (number == 0) throw EngineException.invalid("invalid signal: %s", raw);
            if (!BY_NAME.containsValue(number)) {
                throw EngineException.invalid("the linux daemon does not support signal %d", number);
            }
            return number;
        }
        String name = raw.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) name = name.substring(3);
        Integer signal = BY_NAME.get(name);
        if (signal == null) throw EngineException.invalid("invalid signal: %s", raw);
        return signal;
    }

    /** The conventional name ("SIGTERM", "SIGRTMIN+3") of a signal number, if Linux has one. */
    public static Optional<String> name(int signal) {
        for (var e : BY_NAME.entrySet()) {
            if (e.getValue() == signal) return Optional.of("SIG" + e.getKey());
        }
        return Optional.empty();
    }

    /** Like Go's strconv.Atoi: optional sign, decimal digits only. */
    private static Integer parseNumber(String raw) {
        int start = raw.charAt(0) == '-' || raw.charAt(0) == '+' ? 1 : 0;
        if (start == raw.length()) return null;
        for (int i = start; i < raw.length(); i++) {
            if (raw.charAt(i) < '0' || raw.charAt(i) > '9') return null;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            return null; // out of int range: Atoi fails too, and the name lookup then rejects it
        }
    }
}
