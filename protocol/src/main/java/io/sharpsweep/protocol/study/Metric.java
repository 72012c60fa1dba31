package io.sharpsweep.protocol.study;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;

/**
 * A metric an objective can name, as {@link MetricCatalogue} lists it: its name in specs and the
 * API, its natural direction, its unit, the column of {@code epoch_reports} that stores it, how
 * people read it ({@code label}, {@code shortLabel}, {@code digits} shown), where an epoch report
 * carries it ({@code field}: {@code metrics.<name>} or {@code cost.<name>}, as the report's JSON
 * spells it), and whether it is a cost. {@code reader} takes it from a report; it is not part of
 * the JSON.
 */
public record Metric(
    String name,
    Goal goal,
    String unit,
    String column,
    String label,
    String shortLabel,
    int digits,
    String field,
    boolean cost,
    @JsonIgnore Reader reader) {

  /** Takes the metric from a report's metrics and cost; null when the report does not carry it. */
  @FunctionalInterface
  public interface Reader {
    Double read(Metrics metrics, Cost cost);
  }

  /** The metric's value in a report, or null when the report does not carry it. */
  public Double valueIn(Metrics metrics, Cost cost) {
    return reader.read(metrics, cost);
  }
}
