package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The default bridge's address, the address pools networks take subnets from, and the host's routes as read. */
class DefaultBridgeTest {
    private static final AddressPools POOLS = new AddressPools(List.of(new AddressPools.Pool(Subnet.parse("10.214.0.0/16"), 24)));

    private static List<Subnet> subnets(String... cidrs) {
        return java.util.Arrays.stream(cidrs).map(Subnet::parse).toList();
    }

    @Test
    void bip_isTheGatewayAndItsSubnet_whateverTheHostHas() {
        var a = DefaultBridge.choose("10.213.7.1/24", Optional.of("172.30.0.1/16"), subnets("10.213.0.0/16"), POOLS);
        assertThat(a.subnet()).hasToString("10.213.7.0/24");
        assertThat(a.gateway()).isEqualTo("10.213.7.1");
        assertThat(DefaultBridge.choose("10.213.7.77/24", Optional.empty(), List.of(), POOLS).gateway()).isEqualTo("10.213.7.77");
    }

    @Test
    void anExistingBridgesAddress_isKept_withoutBip() {
        var a = DefaultBridge.choose("", Optional.of("10.99.0.5/16"), subnets("172.30.0.0/16"), POOLS);
        assertThat(a.subnet()).hasToString("10.99.0.0/16");
        assertThat(a.gateway()).isEqualTo("10.99.0.5");
    }

    @Test
    void theDefault_is172_30_unlessTheHostUsesIt_thenTheFirstFreeSubnetOfThePools() {
        var free = DefaultBridge.choose(null, Optional.empty(), subnets("192.0.2.0/24", "10.0.0.1/32"), POOLS);
        assertThat(free.subnet()).hasToString("172.30.0.0/16");
        assertThat(free.gateway()).isEqualTo("172.30.0.1");

        var clash = DefaultBridge.choose(null, Optional.empty(), subnets("172.30.5.0/24", "10.214.0.0/24"), POOLS);
        assertThat(clash.subnet()).hasToString("10.214.1.0/24");
        assertThat(clash.gateway()).isEqualTo("10.214.1.1");

        var builtIn = DefaultBridge.choose(null, Optional.empty(), subnets("172.16.0.0/12"), AddressPools.DOCKER_DEFAULTS);
        assertThat(builtIn.subnet()).hasToString("192.168.0.0/20");

        assertThatThrownBy(() -> DefaultBridge.choose(null, Optional.empty(), subnets("172.30.0.1/32", "10.214.0.0/16"), POOLS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("--bip");
    }

    @Test
    void pools_areCutInOrder_skippingWhatIsTaken_andDockersDefaultsSkipDocker0() {
        var pools = new AddressPools(List.of(new AddressPools.Pool(Subnet.parse("10.214.0.0/16"), 24),
                new AddressPools.Pool(Subnet.parse("10.215.0.0/30"), 30)));
        assertThat(pools.first(List.of())).contains(Subnet.parse("10.214.0.0/24"));
        assertThat(pools.first(subnets("10.214.0.0/24"))).contains(Subnet.parse("10.214.1.0/24"));
        assertThat(pools.first(subnets("10.214.0.0/17", "10.214.128.9/32"))).contains(Subnet.parse("10.214.129.0/24"));
        assertThat(pools.first(subnets("10.214.0.0/16"))).contains(Subnet.parse("10.215.0.0/30"));
        assertThat(pools.first(subnets("10.0.0.0/8"))).isEmpty();
        var wide = new AddressPools(List.of(new AddressPools.Pool(Subnet.parse("255.255.255.0/24"), 30)));
        assertThat(wide.first(subnets("255.255.255.0/24"))).isEmpty();

        assertThat(AddressPools.DOCKER_DEFAULTS.first(subnets(DefaultBridge.DOCKER0.toString()))).contains(Subnet.parse("172.18.0.0/16"));
        assertThat(AddressPools.DOCKER_DEFAULTS.first(subnets("172.16.0.0/12"))).contains(Subnet.parse("192.168.0.0/20"));
        assertThatThrownBy(() -> new AddressPools.Pool(Subnet.parse("10.0.0.0/16"), 8)).hasMessageContaining("between");
    }

    @Test
    void hostRoutes_skipOnlyTheNamedDevice() {
        String routes = """
                default via 192.0.2.1 dev eth0
                172.30.0.0/16 dev berth0 proto kernel scope link src 172.30.0.1
                10.213.7.0/24 dev berthit7 proto kernel scope link src 10.213.7.1 linkdown
                unreachable 10.50.0.0/16
                broadcast 172.30.255.255 dev berth0 table local proto kernel scope link src 172.30.0.1
                """;
        String addrs = """
                4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever
                5: berth0    inet 172.30.0.1/16 scope global berth0\\       valid_lft forever preferred_lft forever
                """;
        var all = HostRoutes.parse(routes, addrs, null);
        assertThat(all).contains(Subnet.parse("172.30.0.0/16"), Subnet.parse("10.213.7.0/24"), Subnet.parse("10.50.0.0/16"),
                Subnet.parse("192.0.2.1/32"), Subnet.parse("192.0.2.0/24"));
        var others = HostRoutes.parse(routes, addrs, "berth0");
        assertThat(others).noneMatch(s -> s.overlaps(Subnet.parse("172.30.0.0/16")));
        assertThat(others).contains(Subnet.parse("10.213.7.0/24"), Subnet.parse("10.50.0.0/16"), Subnet.parse("192.0.2.0/24"));
    }
}
