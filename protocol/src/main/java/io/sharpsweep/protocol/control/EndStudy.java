package io.sharpsweep.protocol.control;

/** Why a study is cancelled (by a user) or failed (e.g. its sampler rejected its space). */
public record EndStudy(String reason) {}
