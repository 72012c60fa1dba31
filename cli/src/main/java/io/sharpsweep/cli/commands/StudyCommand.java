package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.ApiException;
import io.sharpsweep.protocol.api.BestAnswer;
import io.sharpsweep.protocol.api.Counts;
import io.sharpsweep.protocol.api.SchedulerClient;
import io.sharpsweep.protocol.api.StudyDetail;
import io.sharpsweep.protocol.api.StudySummary;
import io.sharpsweep.protocol.control.EnqueueConfigs;
import io.sharpsweep.protocol.control.EnqueuedConfigs;
import io.sharpsweep.protocol.control.ExtendStudy;
import io.sharpsweep.protocol.control.StudyStatus;
import io.sharpsweep.protocol.study.StudySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sharpsweep study create|list|show|pause|resume|extend|enqueue|cancel}. */
@Command(
    name = "study",
    mixinStandardHelpOptions = true,
    description = "Create, list, show, pause, resume, extend, enqueue and cancel studies.",
    subcommands = {
      StudyCommand.Create.class,
      StudyCommand.ListStudies.class,
      StudyCommand.Show.class,
      StudyCommand.Pause.class,
      StudyCommand.Resume.class,
      StudyCommand.Extend.class,
      StudyCommand.Enqueue.class,
      StudyCommand.Cancel.class
    })
public class StudyCommand {

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a study from a YAML or JSON file; prints the new study's id alone on the last line.")
  public static class Create implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description = "The study spec (YAML or JSON).")
    Path file;

    @Override
    public Integer call() throws IOException {
      String body = read(file);
      StudyStatus created;
      try {
        created = endpoints.schedulerApi().create(body, "application/yaml");
      } catch (ApiException e) {
        if (e.status() == 400 && !e.errors().errors().isEmpty()) {
          throw new UserException(describeInvalid(file, body, e.errors()));
        }
        throw e;
      }
      System.out.println(
          "study "
              + created.name()
              + " created: "
              + trials(created)
              + " trials, "
              + created.running()
              + " running");
      System.out.println(created.id());
      return 0;
    }

    static String describeInvalid(Path file, String body, ErrorResponse errors) {
      YamlLines lines = new YamlLines(body);
      StringBuilder sb = new StringBuilder("invalid study " + file + ":");
      for (FieldError e : errors.errors()) {
        String field = e.field() == null ? "" : e.field();
        int line = lines.lineOf(field);
        sb.append(' ')
            .append(field)
            .append(line > 0 ? " (line " + line + ")" : "")
            .append(field.isEmpty() && line <= 0 ? "" : ": ")
            .append(e.message())
            .append(';');
      }
      return sb.substring(0, sb.length() - 1);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the studies in the results-store.")
  public static class ListStudies implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Override
    public Integer call() {
      List<StudySummary> studies = endpoints.storeApi().studies();
      System.out.printf(
          Locale.ROOT,
          "%-22s %-28s %-10s %9s %8s %7s %10s%n",
          "ID",
          "NAME",
          "STATE",
          "COMPLETED",
          "RUNNING",
          "FAILED",
          "BEST");
      for (StudySummary s : studies) {
        Counts c = s.trials() == null ? new Counts(0, 0, 0, 0, 0) : s.trials();
        System.out.printf(
            Locale.ROOT,
            "%-22s %-28s %-10s %9d %8d %7d %10s%n",
            s.id(),
            truncate(s.name() == null ? "" : s.name(), 28),
            s.state(),
            c.completed(),
            c.running(),
            c.failed(),
            s.bestValue() != null ? String.format(Locale.ROOT, "%.4f", s.bestValue()) : "-");
      }
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show one study: spec summary, state, trial counts, best trial.")
  public static class Show implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      StudyDetail s = endpoints.storeApi().study(id);
      System.out.println(
          "study "
              + s.id()
              + "  "
              + s.name()
              + "  ["
              + s.state()
              + "]"
              + (s.reason() != null ? " " + s.reason() : ""));
      StudySpec spec = s.spec();
      if (spec != null) {
        System.out.println(
            "  dataset "
                + (spec.dataset() == null ? "" : spec.dataset().name())
                + ", model "
                + spec.model()
                + ", sampler "
                + (spec.sampler() == null ? "" : spec.sampler().type())
                + ", scheduler "
                + (spec.scheduler() == null || spec.scheduler().type() == null
                    ? "none"
                    : spec.scheduler().type())
                + ", budget "
                + (spec.budget() == null || spec.budget().trials() == null
                    ? 0
                    : spec.budget().trials())
                + " trials × "
                + (spec.scheduler() == null || spec.scheduler().maxEpochs() == null
                    ? 0
                    : spec.scheduler().maxEpochs())
                + " epochs");
      }
      Counts c = s.trials() == null ? new Counts(0, 0, 0, 0, 0) : s.trials();
      System.out.println(
          "  trials: "
              + c.completed()
              + " completed, "
              + c.running()
              + " running, "
              + c.failed()
              + " failed; "
              + s.reportsStored()
              + " epoch reports stored");
      BestAnswer best = new StudyRun(endpoints.schedulerApi(), endpoints.storeApi()).best(id);
      if (best != null && best.best() != null) {
        DemoCommand.printBest(System.out, id, best.best());
      }
      return 0;
    }
  }

  /**
   * A subcommand that posts one change of a study's state to the scheduler and prints the state it
   * answers with: {@code study ID STATE} and what {@link #detail} adds.
   */
  abstract static class StateChange implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(paramLabel = "ID")
    String id;

    /** Posts the change and returns the scheduler's answer. */
    abstract StudyStatus post(SchedulerClient scheduler);

    /** What the printed line adds after the study's state. */
    abstract String detail(StudyStatus s);

    @Override
    public Integer call() {
      StudyStatus s = post(endpoints.schedulerApi());
      System.out.println("study " + id + " " + s.state() + detail(s));
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Stop assigning new trials; segments already running finish and are stored.")
  public static class Cancel extends StateChange {
    @Override
    StudyStatus post(SchedulerClient scheduler) {
      return scheduler.cancel(id);
    }

    @Override
    String detail(StudyStatus s) {
      return " (" + s.running() + " segments still running)";
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description =
          "Lease no segment and create no trial until resumed; segments already running finish"
              + " their segment and are stored.")
  public static class Pause extends StateChange {
    @Override
    StudyStatus post(SchedulerClient scheduler) {
      return scheduler.pause(id);
    }

    @Override
    String detail(StudyStatus s) {
      return " ("
          + s.running()
          + " segments finishing, "
          + s.waiting()
          + " waiting for the resume)";
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Lease segments and create trials again.")
  public static class Resume extends StateChange {
    @Override
    StudyStatus post(SchedulerClient scheduler) {
      return scheduler.resume(id);
    }

    @Override
    String detail(StudyStatus s) {
      return "";
    }
  }

  @Command(
      name = "extend",
      mixinStandardHelpOptions = true,
      description =
          "Add trials to the study's budget; a completed study runs again (schedules none, asha,"
              + " mo-asha).")
  public static class Extend extends StateChange {
    @Option(names = "--trials", paramLabel = "K", description = "How many trials to add.")
    Integer trials;

    @Option(
        names = "--max-epochs",
        paramLabel = "E",
        description =
            "A higher top rung: refused with the reason (a trial's learning-rate schedule spans"
                + " its maxEpochs).")
    Integer maxEpochs;

    @Override
    StudyStatus post(SchedulerClient scheduler) {
      return scheduler.extend(id, new ExtendStudy(trials, maxEpochs));
    }

    @Override
    String detail(StudyStatus s) {
      return ": budget " + trials(s) + " trials, " + s.created() + " created";
    }
  }

  @Command(
      name = "enqueue",
      mixinStandardHelpOptions = true,
      description =
          "Try configurations first, as the study's next trials (they count against its budget):"
              + " a YAML or JSON list of them, or the preset papers (each variant of the space at"
              + " its papers' defaults).")
  public static class Enqueue implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "A YAML or JSON list of configurations (or {configs: [...]}).")
    Path file;

    @Option(names = "--preset", paramLabel = "NAME", description = "A preset: papers.")
    String preset;

    @Override
    public Integer call() throws IOException {
      if ((file == null) == (preset == null)) {
        throw new UserException("study enqueue: give either -f FILE or --preset papers");
      }
      EnqueuedConfigs answer;
      if (file != null) {
        answer = endpoints.schedulerApi().enqueue(id, read(file), "application/yaml");
      } else {
        answer = endpoints.schedulerApi().enqueue(id, new EnqueueConfigs(null, preset));
      }
      List<Map<String, Object>> enqueued =
          answer.enqueued() == null ? List.of() : answer.enqueued();
      for (Map<String, Object> c : enqueued) {
        System.out.println("  " + Json.encodeToString(c));
      }
      System.out.println(
          "study "
              + id
              + ": "
              + enqueued.size()
              + " configuration(s) enqueued, "
              + answer.waiting()
              + " waiting for a slot; "
              + (answer.study() == null ? 0 : answer.study().created())
              + " of "
              + (answer.study() == null ? 0 : trials(answer.study()))
              + " trials created");
      return 0;
    }
  }

  /** The file's text; a missing file is the user's mistake, told in one line. */
  static String read(Path file) throws IOException {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UserException("no such file: " + file);
    }
  }

  /** The study's budget of trials, 0 when the answer names none. */
  static int trials(StudyStatus s) {
    return s.budget() == null || s.budget().trials() == null ? 0 : s.budget().trials();
  }

  static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
