package dev.berth.oci;

/**
 * Docker's {@code --cgroupns}. Docker's daemon default is {@code private} on cgroup v2 and {@code host} on cgroup v1;
 * {@link SpecOptions#builder()} picks it from the host.
 */
public enum CgroupnsMode {
    HOST, PRIVATE
}
