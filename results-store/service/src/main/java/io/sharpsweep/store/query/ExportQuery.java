package io.sharpsweep.store.query;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.api.ExportRow;
import io.sharpsweep.protocol.study.MetricCatalogue;
import io.sharpsweep.store.db.ReportRepository;
import io.sharpsweep.store.db.RungResultRepository;
import io.sharpsweep.store.db.StoreDatabase;
import io.sharpsweep.store.db.StoredReport;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** One row per trial for spreadsheets and notebooks, as JSON or CSV. */
@ApplicationScoped
public class ExportQuery {
  public static final List<String> FORMATS = List.of("json", "csv");

  private final StoreDatabase db;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final ReportRepository reports = new ReportRepository();
  private final RungResultRepository rungs = new RungResultRepository();

  @Inject
  ExportQuery(StoreDatabase db) {
    this.db = db;
  }

  /** {@code json} (the default) or {@code csv}; anything else is a 400 naming {@code format}. */
  public static String format(String format) {
    String f = format == null || format.isBlank() ? "json" : format.trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(f)) {
      throw new ValidationException("format", "unknown format '" + format + "': one of " + FORMATS);
    }
    return f;
  }

  public List<ExportRow> rows(String studyId) {
    return db.read(
        "exporting study " + studyId,
        c -> {
          studies.find(c, studyId).orElseThrow(() -> new UnknownStudyException(studyId));
          Map<String, Integer> reached = rungs.reachedByStudy(c, studyId);
          List<TrialRow> rows = trials.listByStudy(c, studyId);
          Map<String, StoredReport> lastOf = reports.lastReportsOfStudy(c, studyId, rows);
          List<ExportRow> out = new ArrayList<>(rows.size());
          for (TrialRow t : rows) {
            StoredReport last = lastOf.get(t.trialId());
            out.add(
                new ExportRow(
                    t.trialId(),
                    t.number(),
                    t.state().wireName(),
                    t.attempt(),
                    reached.get(t.trialId()),
                    last == null ? null : last.epoch(),
                    params(t.params()),
                    last == null ? null : last.metrics().valAccuracy(),
                    last == null ? null : last.metrics().valLoss(),
                    last == null ? null : last.metrics().trainLoss(),
                    last == null ? null : last.metrics().testAccuracy(),
                    last == null ? null : last.cost().sgdEpochEquivalents(),
                    last == null ? null : last.cost().wallSeconds()));
          }
          return out;
        });
  }

  /**
   * The rows as CSV (RFC 4180): fixed columns, then one {@code param.<name>} column per parameter
   * any trial has (sorted), then the metrics; empty cells where a value is absent.
   */
  public static String csv(List<ExportRow> rows) {
    TreeSet<String> names = new TreeSet<>();
    rows.forEach(r -> names.addAll(r.params().keySet()));
    List<String> header =
        new ArrayList<>(List.of("trial_id", "number", "state", "attempt", "rung", "epoch"));
    names.forEach(n -> header.add("param." + n));
    header.addAll(MetricCatalogue.names());
    StringBuilder out = new StringBuilder();
    line(out, header);
    for (ExportRow r : rows) {
      List<Object> cells =
          new ArrayList<>(
              List.of(
                  r.trialId(),
                  cell(r.number()),
                  r.state(),
                  r.attempt(),
                  cell(r.rung()),
                  cell(r.epoch())));
      names.forEach(n -> cells.add(cell(r.params().get(n))));
      MetricCatalogue.all().forEach(m -> cells.add(cell(r.value(m))));
      line(out, cells);
    }
    return out.toString();
  }

  private static Object cell(Object value) {
    return value == null ? "" : value;
  }

  private static void line(StringBuilder out, List<?> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String s = String.valueOf(cells.get(i));
      if (s.indexOf(',') >= 0
          || s.indexOf('"') >= 0
          || s.indexOf('\n') >= 0
          || s.indexOf('\r') >= 0) {
        s = '"' + s.replace("\"", "\"\"") + '"';
      }
      out.append(s);
    }
    out.append("\r\n");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(String json) {
    return json == null ? Map.of() : Json.decode(json, LinkedHashMap.class);
  }
}
