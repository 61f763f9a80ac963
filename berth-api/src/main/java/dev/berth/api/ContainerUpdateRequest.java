package dev.berth.api;

/**
 * Body of {@code POST /containers/{id}/update} (the spec's ContainerUpdateRequest): the Resources fields acted on,
 * and a new restart policy. Zero or absent fields leave the current value.
 */
public record ContainerUpdateRequest(
        Long memory,
        Long memorySwap,
        Long memoryReservation,
        Long nanoCpus,
        Long cpuShares,
        String cpusetCpus,
        String cpusetMems,
        Long pidsLimit,
        ContainerCreateRequest.RestartPolicy restartPolicy) {}
