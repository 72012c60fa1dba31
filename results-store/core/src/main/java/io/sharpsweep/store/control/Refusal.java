package io.sharpsweep.store.control;

/** Why a request cannot be accepted now, naming the field it concerns. */
public record Refusal(String field, String message) {}
