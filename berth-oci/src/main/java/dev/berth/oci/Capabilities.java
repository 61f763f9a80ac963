package dev.berth.oci;

import dev.berth.common.EngineException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Docker's capability rules (moby {@code oci/caps}): the default set, {@code --cap-add}/{@code --cap-drop} with the
 * {@code ALL} keyword, and {@code --privileged}. The engine may call {@link #normalize} at create time to refuse a bad
 * name early, as Docker does.
 */
public final class Capabilities {
    private Capabilities() {}

    /** Every capability by number (linux/capability.h); index = bit. */
    static final List<String> KNOWN = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    /** Docker's default set, in Docker's order (moby oci/caps/defaults.go); its CapEff mask is 0xa80425fb. */
    public static final List<String> DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    private static final String ALL = "ALL";

    /**
     * Upper-cases, adds the {@code CAP_} prefix and checks each name; {@code ALL} passes through.
     *
     * @throws EngineException.InvalidArgument with Docker's texts for a name nobody knows, or one this host lacks
     */
    public static List<String> normalize(List<String> caps, HostInfo host) {
        var normalized = new ArrayList<String>();
        for (var c : caps) {
            c = c.toUpperCase(Locale.ROOT);
            if (c.equals(ALL)) {
                normalized.add(c);
                continue;
            }
            if (!c.startsWith("CAP_")) {
                c = "CAP_" + c;
            }
            if (!KNOWN.contains(c)) {
                throw EngineException.invalid("unknown capability: %s", goQuote(c));
            }
            if (!host.capabilities().contains(c)) {
                throw EngineException.invalid(
                        "capability not supported by your kernel or not available in the current environment: %s",
                        goQuote(c));
            }
            normalized.add(c);
        }
        return normalized;
    }

    /**
     * The container's capability set, as moby's {@code TweakCapabilities}: privileged gets everything this host can
     * give; {@code --cap-add ALL} gets everything but the drops; {@code --cap-drop ALL} gets only the adds; otherwise
     * the default set minus drops plus adds.
     */
    public static List<String> effective(List<String> add, List<String> drop, boolean privileged, HostInfo host) {
        if (privileged) {
            return host.capabilities();
        }
        if (add.isEmpty() && drop.isEmpty()) {
            return DEFAULT;
        }
        var capDrop = normalize(drop, host);
        var capAdd = normalize(add, host);
        var caps = new ArrayList<String>();
        if (capAdd.contains(ALL)) {
            host.capabilities().stream().filter(c -> !capDrop.contains(c)).forEach(caps::add);
        } else if (capDrop.contains(ALL)) {
            caps.addAll(capAdd);
        } else {
            DEFAULT.stream().filter(c -> !capDrop.contains(c)).forEach(caps::add);
            caps.addAll(capAdd);
        }
        return caps.stream().distinct().toList();
    }

    /** The effective-set bit mask, as {@code CapEff} shows it in /proc/PID/status. */
    public static long mask(List<String> caps) {
        long mask = 0;
        for (var c : caps) {
            int bit = KNOWN.indexOf(c);
            if (bit >= 0) {
                mask |= 1L << bit;
            }
        }
        return mask;
    }

    /** Go's {@code %q} for the plain ASCII names that can reach it. */
    private static String goQuote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
