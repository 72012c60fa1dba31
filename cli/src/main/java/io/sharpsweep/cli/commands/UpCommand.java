package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.stack.LocalStack;
import io.sharpsweep.cli.stack.StackState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep up}: the local stack in the background, kept running until {@code sharpsweep
 * down}.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Start the local stack in the background (Kafka, results-store on H2, sampler, scheduler, N workers). Kafka's data, the H2 database and the checkpoints stay in .sharpsweep/stack across `down` and `up`.")
public class UpCommand implements Callable<Integer> {
  @Mixin LocalStackOptions launch;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Require the bearer token in FILE on the services' protected endpoints; the services get"
              + " the path, never the token (default: $SHARPSWEEP_TOKEN_FILE, else no token).")
  Path tokenFile;

  @Override
  public Integer call() throws Exception {
    launch.check();
    Path dir = Endpoints.defaultStackDir();
    Optional<StackState> running = StackState.read(dir);
    if (running.isPresent()
        && running.get().processes().stream().anyMatch(StackState.Entry::alive)) {
      StatusCommand.print(running.get(), System.out);
      throw new UserException(
          "a local stack is already running (see above): start its stopped processes with"
              + " ./sharpsweep restart NAME, or stop it with ./sharpsweep down");
    }
    Files.createDirectories(dir);
    long started = System.currentTimeMillis();
    Map<String, String> auth = new java.util.HashMap<>();
    Optional<Path> token = Endpoints.stackTokenFile(tokenFile);
    if (token.isPresent()) {
      Endpoints.readTokenFile(token.get()); // a one-line error now rather than four failed starts
      auth.put("sharpsweep.auth.token-file", token.get().toString());
    }
    LocalStack stack =
        LocalStack.start(
            launch.stackOptions(Endpoints.home(), dir, auth),
            line -> System.out.println("· " + line));
    StackState state = StackState.of(stack, dir, started);
    state.write();
    stack.detach();
    StatusCommand.print(state, System.out);
    return 0;
  }
}
