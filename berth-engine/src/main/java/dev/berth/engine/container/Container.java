package dev.berth.engine.container;

import java.time.Instant;

/**
 * One container's record, as stored in {@code <data-root>/containers/<id>/container.json}.
 *
 * @param id        64 hex characters, fixed
 * @param name      unique, without Docker's leading slash; changes only through rename
 * @param imageRef  the image as the user named it (shown in ps)
 * @param imageId   the image it was created from ({@code sha256:...}), fixed
 * @param spec      the create request, fixed
 * @param config    the effective config after merging with the image, fixed
 * @param state     mutable, replaced as a whole
 */
public record Container(
        String id,
        String name,
        Instant created,
        String imageRef,
        String imageId,
        String chainId,
        ContainerSpec spec,
        ContainerConfig config,
        ContainerState state) {

    public Container withState(ContainerState s) {
        return new Container(id, name, created, imageRef, imageId, chainId, spec, config, s);
    }

    public Container withSpec(ContainerSpec s) {
        return new Container(id, name, created, imageRef, imageId, chainId, s, config, state);
    }

    public Container withName(String n) {
        return new Container(id, n, created, imageRef, imageId, chainId, spec, config, state);
    }
}
