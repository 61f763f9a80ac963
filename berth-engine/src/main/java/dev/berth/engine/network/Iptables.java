package dev.berth.engine.network;

import static dev.berth.engine.network.HostCommands.must;
import static dev.berth.engine.network.HostCommands.output;
import static dev.berth.engine.network.HostCommands.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iptables operations berth's network code shares: chains and rules added where missing and removed one by one,
 * never by flushing a chain other daemons use. Each is one iptables process, and a daemon start checks some thirty
 * chains and rules; within a {@link #snapshot()} scope, what one {@code iptables-save} at its start listed counts as
 * present without asking again. Anything it did not list is checked with iptables itself before it is added, so a
 * rule printed in another form than berth spells it is never added twice.
 */
public final class Iptables {
    private static final Logger log = LoggerFactory.getLogger(Iptables.class);

    /** The chains ("table:CHAIN") and rules ("table:-A CHAIN spec") one iptables-save printed. */
    private record Snapshot(Set<String> chains, Set<String> rules) {}

    private static volatile Snapshot snapshot;

    private Iptables() {}

    /** A span of set-up that checks against one reading of the rules. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Reads the rules once; until the scope is closed, checks answer from them for what they list. */
    public static Scope snapshot() {
        var chains = new HashSet<String>();
        var rules = new HashSet<String>();
        try {
            String table = "";
            for (String line : output(List.of("iptables-save")).split("\n")) {
                if (line.startsWith("*")) table = line.substring(1).strip();
                else if (line.startsWith(":")) chains.add(table + ":" + line.substring(1).split(" ", 2)[0]);
                else if (line.startsWith("-A ")) rules.add(table + ":" + line.strip());
            }
            snapshot = new Snapshot(Set.copyOf(chains), Set.copyOf(rules));
        } catch (IOException e) {
            log.debug("iptables-save: {}; every rule is checked on its own", e.getMessage());
        }
        return () -> snapshot = null;
    }

    /** Creates the chain where missing (another daemon creating it at the same moment is fine). */
    static void ensureChain(String table, String chain) throws IOException {
        var s = snapshot;
        if (s != null && s.chains().contains(table + ":" + chain)) return;
        if (run(List.of("iptables", "-w", "-t", table, "-S", chain), true) == 0) return;
        if (run(List.of("iptables", "-w", "-t", table, "-N", chain), true) != 0
                && run(List.of("iptables", "-w", "-t", table, "-S", chain), true) != 0) {
            throw new IOException("cannot create iptables chain " + chain + " in table " + table);
        }
    }

    static boolean exists(String table, String chain, List<String> spec) {
        var s = snapshot;
        if (s != null && s.rules().contains(table + ":-A " + chain + " " + String.join(" ", spec))) return true;
        return run(command(table, "-C", chain, spec), true) == 0;
    }

    /** Appends the rule where missing; whether it was added. */
    static boolean append(String table, String chain, List<String> spec) throws IOException {
        if (exists(table, chain, spec)) return false;
        must(command(table, "-A", chain, spec));
        return true;
    }

    /** Inserts the rule first in its chain where missing (one already there stays where it is). */
    static void insertFirst(String table, String chain, List<String> spec) throws IOException {
        if (exists(table, chain, spec)) return;
        var c = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-I", chain, "1"));
        c.addAll(spec);
        must(c);
    }

    /** Deletes every copy of the rule; none is fine. Never answered from a snapshot. */
    static void delete(String table, String chain, List<String> spec) {
        for (int i = 0; i < 8 && run(command(table, "-C", chain, spec), true) == 0; i++) {
            run(command(table, "-D", chain, spec), false);
        }
    }

    /** The chain's rules as {@code iptables -S} prints them ("-A CHAIN spec"), read now. */
    static List<String> rules(String table, String chain) throws IOException {
        return output(List.of("iptables", "-w", "-t", table, "-S", chain)).lines().filter(l -> l.startsWith("-A ")).toList();
    }

    private static List<String> command(String table, String op, String chain, List<String> spec) {
        var c = new ArrayList<>(List.of("iptables", "-w", "-t", table, op, chain));
        c.addAll(spec);
        return c;
    }
}
