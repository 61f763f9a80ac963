package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.EngineException;
import dev.berth.client.Query;
import dev.berth.client.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code POST /containers/create}, pulling the image first when the daemon does not have it, as Docker's CLI does. */
final class ContainerCreation {
    private ContainerCreation() {
    }

    static String create(Session session, ContainerOptions options, String image, List<String> command, boolean attach) {
        Map<String, Object> body = options.createBody(image, command, attach, session.env);
        String path = "/containers/create" + Query.of().add("name", options.name).add("platform", options.platform);
        JsonNode reply;
        try {
            reply = session.client().post(path, body);
        } catch (EngineException e) {
            if (e.status() != 404 || !e.getMessage().startsWith("No such image")) throw e;
            session.err.println("Unable to find image '" + withDefaultTag(image) + "' locally");
            pull(session.client(), image);
            reply = session.client().post(path, body);
        }
        for (JsonNode w : reply.path("Warnings")) session.err.println("WARNING: " + w.asString());
        return reply.get("Id").asString();
    }

    /** Pulls through {@code POST /images/create?fromImage=}; an error in the progress stream fails the command. */
    private static void pull(EngineClient client, String image) {
        String[] ref = ImageNames.splitTag(image);
        client.stream("POST", "/images/create" + Query.of().add("fromImage", ref[0]).add("tag", ref[1]))
                .forEachJsonMessage(message -> { });
    }

    /** {@code busybox} is {@code busybox:latest}; a reference with a tag or digest is left as it is. */
    static String withDefaultTag(String image) {
        String[] ref = ImageNames.splitTag(image);
        return image.contains("@") ? image : ref[0] + ":" + ref[1];
    }
}
