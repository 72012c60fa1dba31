package io.sharpsweep.protocol.messages;

/** The version every record on a topic carries; a consumer ignores fields it does not know. */
public final class SchemaVersion {
  public static final int CURRENT = 1;

  private SchemaVersion() {}
}
