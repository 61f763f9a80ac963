package dev.berth.engine.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rules of user-defined networks, in berth's own chains so they coexist with Docker's and with other
 * berthd's: FORWARD jumps to BERTH-FORWARD, whose first rule runs the two-stage isolation (as Docker's
 * DOCKER-ISOLATION-STAGE-1/2: traffic that leaves one berth bridge for another is dropped), then accepts each
 * network's own traffic; POSTROUTING jumps to BERTH-POSTROUTING for each non-internal network's MASQUERADE.
 * Every rule is added after a check and removed one by one, never by flushing a chain that other daemons share.
 */
final class NetworkFirewall {
    static final String FORWARD = "BERTH-FORWARD";
    static final String ISOLATION_1 = "BERTH-ISOLATION-1";
    static final String ISOLATION_2 = "BERTH-ISOLATION-2";
    static final String POSTROUTING = "BERTH-POSTROUTING";

    private record Rule(String table, String chain, List<String> spec) {}

    /** The chains and the jumps into them, where missing. */
    void setUpChains() throws IOException {
        for (String c : List.of(FORWARD, ISOLATION_1, ISOLATION_2)) Iptables.ensureChain("filter", c);
        Iptables.ensureChain("nat", POSTROUTING);
        insertFirst(new Rule("filter", "FORWARD", List.of("-j", FORWARD)));
        insertFirst(new Rule("filter", FORWARD, List.of("-j", ISOLATION_1)));
        ensure(new Rule("nat", "POSTROUTING", List.of("-j", POSTROUTING)));
    }

    /** Isolation of a bridge berth does not own alone (the default bridge): added where missing, never removed. */
    void isolate(String bridge) throws IOException {
        for (Rule r : isolation(bridge)) ensure(r);
    }

    /** Adds the rules of a network where missing; on failure, those added are removed again. */
    void add(String bridge, String subnet, boolean internal) throws IOException {
        var added = new ArrayList<Rule>();
        try {
            for (Rule r : rules(bridge, subnet, internal)) {
                if (ensure(r)) added.add(r);
            }
        } catch (IOException | RuntimeException e) {
            for (Rule r : added) delete(r);
            throw e;
        }
    }

    /** Removes every rule of a network (all copies); rules already gone are fine. */
    void remove(String bridge, String subnet, boolean internal) {
        for (Rule r : rules(bridge, subnet, internal)) delete(r);
    }

    private static List<Rule> isolation(String b) {
        return List.of(
                new Rule("filter", ISOLATION_1, List.of("-i", b, "!", "-o", b, "-j", ISOLATION_2)),
                new Rule("filter", ISOLATION_2, List.of("-o", b, "-j", "DROP")));
    }

    private static List<Rule> rules(String b, String subnet, boolean internal) {
        var out = new ArrayList<>(isolation(b));
        if (internal) {
            // No way out and no way in, as Docker's internal networks.
            out.add(new Rule("filter", ISOLATION_1, List.of("-i", b, "!", "-o", b, "-j", "DROP")));
            out.add(new Rule("filter", ISOLATION_1, List.of("-o", b, "!", "-i", b, "-j", "DROP")));
            out.add(new Rule("filter", FORWARD, List.of("-i", b, "-o", b, "-j", "ACCEPT")));
        } else {
            out.add(new Rule("filter", FORWARD, List.of("-i", b, "-j", "ACCEPT")));
            out.add(new Rule("filter", FORWARD, List.of("-o", b, "-j", "ACCEPT")));
            out.add(new Rule("nat", POSTROUTING, List.of("-s", subnet, "!", "-o", b, "-j", "MASQUERADE")));
        }
        return out;
    }

    /** Appends the rule where missing; whether it was added. */
    private static boolean ensure(Rule r) throws IOException {
        return Iptables.append(r.table, r.chain, r.spec);
    }

    private static void insertFirst(Rule r) throws IOException {
        Iptables.insertFirst(r.table, r.chain, r.spec);
    }

    private static void delete(Rule r) {
        Iptables.delete(r.table, r.chain, r.spec);
    }
}
