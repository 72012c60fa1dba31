package io.sharpsweep.cli.stack;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A stand-in service for the stack's process tests: serves {@code /q/health/ready} on the port of
 * its first argument, prints its environment variable {@code FAKE_SERVICE_TAG} and {@code READY},
 * and runs until it is signalled.
 */
public final class FakeServiceMain {
  private FakeServiceMain() {}

  public static void main(String[] args) throws Exception {
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 0);
    server.createContext(
        "/q/health/ready",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    System.out.println("tag " + System.getenv("FAKE_SERVICE_TAG"));
    System.out.println("READY pid " + ProcessHandle.current().pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
