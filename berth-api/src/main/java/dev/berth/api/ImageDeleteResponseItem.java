package dev.berth.api;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageDeleteResponseItem(String untagged, String deleted) {}
