package io.sharpsweep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.client.ServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
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
      String body;
      try {
        body = Files.readString(file);
      } catch (NoSuchFileException e) {
        throw new UserException("no such file: " + file);
      }
      JsonNode created;
      try {
        created =
            endpoints
                .client()
                .post(endpoints.scheduler() + "/v1/studies", "application/yaml", body);
      } catch (ServiceClient.ServiceException e) {
        if (e.status() == 400 && e.body() != null) {
          throw new UserException(describeInvalid(file, body, e.body()));
        }
        throw e;
      }
      String id = created.path("id").asText();
      System.out.println(
          "study "
              + created.path("name").asText()
              + " created: "
              + created.path("budget").path("trials").asInt()
              + " trials, "
              + created.path("running").asInt()
              + " running");
      System.out.println(id);
      return 0;
    }

    static String describeInvalid(Path file, String body, JsonNode errors) {
      YamlLines lines = new YamlLines(body);
      StringBuilder sb = new StringBuilder("invalid study " + file + ":");
      for (JsonNode e : errors.path("errors")) {
        String field = e.path("field").asText("");
        int line = lines.lineOf(field);
        sb.append(' ')
            .append(field.isEmpty() ? "" : field)
            .append(line > 0 ? " (line " + line + ")" : "")
            .append(field.isEmpty() && line <= 0 ? "" : ": ")
            .append(e.path("message").asText())
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
      JsonNode studies = endpoints.client().get(endpoints.store() + "/v1/studies");
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
      for (JsonNode s : studies) {
        JsonNode c = s.path("trials");
        System.out.printf(
            Locale.ROOT,
            "%-22s %-28s %-10s %9d %8d %7d %10s%n",
            s.path("id").asText(),
            truncate(s.path("name").asText(), 28),
            s.path("state").asText(),
            c.path("completed").asInt(),
            c.path("running").asInt(),
            c.path("failed").asInt(),
            s.hasNonNull("bestValue")
                ? String.format(Locale.ROOT, "%.4f", s.path("bestValue").asDouble())
                : "-");
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
      ServiceClient client = endpoints.client();
      JsonNode s = client.get(endpoints.store() + "/v1/studies/" + id);
      JsonNode spec = s.path("spec");
      System.out.println(
          "study "
              + s.path("id").asText()
              + "  "
              + s.path("name").asText()
              + "  ["
              + s.path("state").asText()
              + "]"
              + (s.hasNonNull("reason") ? " " + s.path("reason").asText() : ""));
      if (!spec.isMissingNode()) {
        System.out.println(
            "  dataset "
                + spec.path("dataset").path("name").asText()
                + ", model "
                + spec.path("model").asText()
                + ", sampler "
                + spec.path("sampler").path("type").asText()
                + ", scheduler "
                + spec.path("scheduler").path("type").asText("none")
                + ", budget "
                + spec.path("budget").path("trials").asInt()
                + " trials × "
                + spec.path("scheduler").path("maxEpochs").asInt()
                + " epochs");
      }
      JsonNode c = s.path("trials");
      System.out.println(
          "  trials: "
              + c.path("completed").asInt()
              + " completed, "
              + c.path("running").asInt()
              + " running, "
              + c.path("failed").asInt()
              + " failed; "
              + s.path("reportsStored").asLong()
              + " epoch reports stored");
      JsonNode best = new StudyRun(client, endpoints.scheduler(), endpoints.store()).best(id);
      if (best != null) {
        DemoCommand.printBest(System.out, id, best);
      }
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Stop assigning new trials; segments already running finish and are stored.")
  public static class Cancel implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      JsonNode s =
          endpoints
              .client()
              .post(
                  endpoints.scheduler() + "/v1/studies/" + id + "/cancel", "application/json", "");
      System.out.println(
          "study "
              + id
              + " "
              + s.path("state").asText()
              + " ("
              + s.path("running").asInt()
              + " segments still running)");
      return 0;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description =
          "Lease no segment and create no trial until resumed; segments already running finish"
              + " their segment and are stored.")
  public static class Pause implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      JsonNode s = endpoints.client().post(action(endpoints, id, "pause"), "application/json", "");
      System.out.println(
          "study "
              + id
              + " "
              + s.path("state").asText()
              + " ("
              + s.path("running").asInt()
              + " segments finishing, "
              + s.path("waiting").asInt()
              + " waiting for the resume)");
      return 0;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Lease segments and create trials again.")
  public static class Resume implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      JsonNode s = endpoints.client().post(action(endpoints, id, "resume"), "application/json", "");
      System.out.println("study " + id + " " + s.path("state").asText());
      return 0;
    }
  }

  @Command(
      name = "extend",
      mixinStandardHelpOptions = true,
      description =
          "Add trials to the study's budget; a completed study runs again (schedules none, asha,"
              + " mo-asha).")
  public static class Extend implements Callable<Integer> {
    @Mixin Endpoints endpoints;

    @Parameters(paramLabel = "ID")
    String id;

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
    public Integer call() {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      if (trials != null) {
        body.put("trials", trials);
      }
      if (maxEpochs != null) {
        body.put("maxEpochs", maxEpochs);
      }
      JsonNode s =
          endpoints
              .client()
              .post(action(endpoints, id, "extend"), "application/json", body.toString());
      System.out.println(
          "study "
              + id
              + " "
              + s.path("state").asText()
              + ": budget "
              + s.path("budget").path("trials").asInt()
              + " trials, "
              + s.path("created").asInt()
              + " created");
      return 0;
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
      String body;
      String type;
      if (file != null) {
        try {
          body = Files.readString(file);
        } catch (NoSuchFileException e) {
          throw new UserException("no such file: " + file);
        }
        type = "application/yaml";
      } else {
        body = JsonNodeFactory.instance.objectNode().put("preset", preset).toString();
        type = "application/json";
      }
      JsonNode answer = endpoints.client().post(action(endpoints, id, "enqueue"), type, body);
      for (JsonNode c : answer.path("enqueued")) {
        System.out.println("  " + c);
      }
      System.out.println(
          "study "
              + id
              + ": "
              + answer.path("enqueued").size()
              + " configuration(s) enqueued, "
              + answer.path("waiting").asInt()
              + " waiting for a slot; "
              + answer.path("study").path("created").asInt()
              + " of "
              + answer.path("study").path("budget").path("trials").asInt()
              + " trials created");
      return 0;
    }
  }

  private static String action(Endpoints endpoints, String id, String action) {
    return endpoints.scheduler() + "/v1/studies/" + id + "/" + action;
  }

  static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
