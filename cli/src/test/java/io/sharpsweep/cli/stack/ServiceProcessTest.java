package io.sharpsweep.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process of the local stack keeps its identity: killed (SIGKILL) or stopped (SIGTERM) by its
 * PID, it starts again with the same command line, port, environment and log file, and so does a
 * process known only from {@code stack.json}.
 */
class ServiceProcessTest {
  @TempDir Path dir;

  private ServiceProcess fake(String name, int port, Path log) {
    return ServiceProcess.start(
        name,
        ServiceProcess.javaCommand(
            List.of("-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")),
            List.of(FakeServiceMain.class.getName(), String.valueOf(port))),
        Map.of("FAKE_SERVICE_TAG", "t-" + name),
        log,
        "http://127.0.0.1:" + port);
  }

  @Test
  void aKilledProcessRestartsWithTheSameCommandEnvironmentPortAndLog() throws Exception {
    int port = LocalStack.freePort();
    Path log = dir.resolve("logs/fake.log");
    ServiceProcess p = fake("fake", port, log);
    try {
      LocalStack.awaitStarted(p, null);
      long first = p.pid();
      // the PID is the JVM's own (setsid replaced itself), so kill -9 PID reaches the service
      assertThat(ProcessHandle.of(first).orElseThrow().info().command().orElse(""))
          .endsWith("java");
      assertThat(p.currentLog()).contains("READY pid " + first).contains("tag t-fake");
      List<String> command = p.command();

      p.kill();
      assertThat(p.isAlive()).isFalse();
      assertThat(p.exitCode()).isEqualTo(137);

      p.restart();
      LocalStack.awaitStarted(p, null);
      assertThat(p.pid()).isNotEqualTo(first);
      assertThat(p.command()).isEqualTo(command);
      assertThat(p.url()).isEqualTo("http://127.0.0.1:" + port);
      assertThat(p.currentLog())
          .contains("READY pid " + p.pid())
          .doesNotContain("READY pid " + first);
      String all = Files.readString(log);
      assertThat(all)
          .contains("READY pid " + first)
          .contains("READY pid " + p.pid())
          .contains("fake restarted at");
      assertThatThrownBy(p::restart).isInstanceOf(StackException.class);

      p.terminate();
      assertThat(p.awaitExit(Duration.ofSeconds(20))).isTrue();
      assertThat(p.exitCode()).isEqualTo(143);
    } finally {
      p.stop(5);
    }
  }

  @Test
  void aProcessKnownFromStackJsonRestartsAndStopsByItsOwnPid() throws Exception {
    int port = LocalStack.freePort();
    ServiceProcess p = fake("svc", port, dir.resolve("logs/svc.log"));
    LocalStack.awaitStarted(p, null);
    StackState state =
        new StackState(dir.toString(), "127.0.0.1:1", List.of(StackState.Entry.of(p)), 1L);
    state.write();
    StackState read = StackState.read(dir).orElseThrow();
    assertThat(read.processes().get(0).command()).isEqualTo(p.command());
    assertThat(read.processes().get(0).environment()).containsEntry("FAKE_SERVICE_TAG", "t-svc");
    assertThat(read.processes().get(0).alive()).isTrue();
    assertThatThrownBy(() -> read.restart("svc")).hasMessageContaining("is running");

    long old = p.pid();
    p.kill();
    assertThat(read.processes().get(0).alive()).isFalse();
    StackState after = read.restart("svc");
    StackState.Entry e = after.processes().get(0);
    try {
      assertThat(e.pid()).isNotEqualTo(old);
      assertThat(e.alive()).isTrue();
      assertThat(e.url()).isEqualTo("http://127.0.0.1:" + port);
      assertThat(StackState.read(dir).orElseThrow().processes().get(0).pid()).isEqualTo(e.pid());
      // an entry whose PID now belongs to another process (started at another time) is left alone
      StackState.Entry stale =
          new StackState.Entry(
              e.name(), e.pid(), e.url(), e.log(), e.command(), e.environment(), 1L);
      assertThat(stale.alive()).isFalse();
    } finally {
      after.stop();
    }
    assertThat(ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(StackState.file(dir)).doesNotExist();
  }

  @Test
  void theBrokerKeepsItsPortsAcrossRuns() {
    int[] first = LocalStack.brokerPorts(dir, line -> {});
    int[] again = LocalStack.brokerPorts(dir, line -> {});
    assertThat(again).containsExactly(first);
    assertThat(first[0]).isNotEqualTo(first[1]);
  }
}
