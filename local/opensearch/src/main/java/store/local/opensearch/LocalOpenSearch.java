package store.local.opensearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.transport.TransportAddress;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Runs one embedded OpenSearch node for the local cloud.
 *
 * <p>Usage: {@code LocalOpenSearch --home DIR [--data DIR] [--http-port 9200] [--transport-port 9300-9399]
 * [-Esetting=value ...]}. Prints {@code opensearch started http://127.0.0.1:PORT} once the node answers
 * HTTP, and closes the node on SIGTERM/SIGINT.
 */
public final class LocalOpenSearch {

  /** Node's plugin-taking constructor is protected: the distribution loads plugins from directories instead. */
  static final class LocalNode extends Node {
    LocalNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
      super(environment, plugins, true);
    }
  }

  /** The modules a stock distribution ships that the store's search needs; all come from the classpath. */
  static final List<Class<? extends Plugin>> PLUGINS =
      List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, MapperExtrasPlugin.class);

  private LocalOpenSearch() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable e) {
      // Exit rather than return: a half-built node may have left non-daemon threads running.
      // One line with the causes for the log; the stack trace to stderr, which the starter keeps for its error.
      StringBuilder line = new StringBuilder("opensearch failed to start: ").append(e);
      for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
        line.append("; caused by ").append(cause);
      }
      System.out.println(line);
      System.out.flush();
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    Path home = null;
    Path data = null;
    String httpPort = "9200";
    // A range, so a second node (an e2e run beside a dev cloud) does not collide on the transport port.
    String transportPort = "9300-9399";
    List<String> extra = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("-E") && arg.contains("=")) {
        extra.add(arg.substring(2));
        continue;
      }
      if (i + 1 >= args.length) usage("missing value for " + arg);
      String value = args[++i];
      switch (arg) {
        case "--home" -> home = Path.of(value).toAbsolutePath();
        case "--data" -> data = Path.of(value).toAbsolutePath();
        case "--http-port" -> httpPort = value;
        case "--transport-port" -> transportPort = value;
        default -> usage("unknown argument " + arg);
      }
    }
    if (home == null) usage("--home is required");
    if (data == null) data = home.resolve("data");
    Files.createDirectories(home.resolve("config"));
    Files.createDirectories(home.resolve("logs"));
    Files.createDirectories(data);

    Settings.Builder settings = Settings.builder()
        .put("cluster.name", "local-store")
        .put("node.name", "local")
        .put("path.home", home.toString())
        .put("path.data", data.toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("network.host", "127.0.0.1")
        .put("http.port", httpPort)
        .put("transport.port", transportPort)
        .put("http.type", "netty4")
        .put("transport.type", "netty4")
        .put("discovery.type", "single-node")
        // A developer's disk is often fuller than the 85/90/95% watermarks; blocking writes there helps nobody.
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .put("bootstrap.memory_lock", false);
    for (String setting : extra) {
      int eq = setting.indexOf('=');
      settings.put(setting.substring(0, eq), setting.substring(eq + 1));
    }

    Environment environment =
        InternalSettingsPreparer.prepareEnvironment(settings.build(), Map.of(), home.resolve("config"), () -> "local");
    LocalNode node = new LocalNode(environment, PLUGINS);

    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
        if (!node.awaitClose(10, TimeUnit.SECONDS)) System.out.println("opensearch did not close within 10 s");
      } catch (IOException | InterruptedException e) {
        System.out.println("opensearch close failed: " + e);
      } finally {
        System.out.println("opensearch stopped");
        System.out.flush();
        // log4j's own hook is disabled (log4j2.xml) so the node can still log while it closes.
        LogManager.shutdown();
        closed.countDown();
      }
    }, "local-opensearch-shutdown"));

    node.start();
    // One node can never place a replica: default new indices to none so they are green, not yellow.
    // It is read from the cluster state, not node settings, hence set through the API before "started".
    node.client().admin().cluster().prepareUpdateSettings()
        .setPersistentSettings(Settings.builder().put("cluster.default_number_of_replicas", 0))
        .get();
    TransportAddress http = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
    System.out.println("opensearch started http://" + http.getAddress() + ":" + http.getPort());
    System.out.flush();
    // The node runs on its own threads; main only waits for the shutdown hook to have closed it.
    closed.await();
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: LocalOpenSearch --home DIR [--data DIR] [--http-port PORT] "
        + "[--transport-port PORT|RANGE] [-Esetting=value ...]");
    System.exit(2);
  }
}
