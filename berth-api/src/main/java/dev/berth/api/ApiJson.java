package dev.berth.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Engine API's JSON rules in one place: PascalCase names as in v1.50.yaml (a record component {@code id} is
 * {@code "Id"}; the spec's few {@code "ID"} fields say so with {@code @JsonProperty}), unknown request fields ignored
 * (the Docker CLI sends every HostConfig field, most of them zero), and times as RFC 3339 strings.
 */
public final class ApiJson {
    private ApiJson() {}

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.ALWAYS))
            .build();
}
