import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Neo4j's documented "embedded with Bolt" setup: a real Neo4j 5.26 database
 * with a Bolt connector on a loopback port, for the extranet manager's
 * default (no NEO4J_URI) mode and for its tests.
 *
 * Usage: java -cp CLASSPATH EmbeddedNeo4j DATA_DIR PORT [PAGECACHE]
 * (compiled once by the Node side into .cache/, or run as a single-file source program)
 *
 * Contract with the Node side (backend/src/neo4j/embedded.ts):
 *  - prints exactly one line "READY bolt://127.0.0.1:PORT" on stdout once Bolt accepts connections;
 *  - exits (after a clean shutdown) on SIGINT/SIGTERM, or when its stdin closes,
 *    so the database never outlives the process that started it by accident.
 */
public class EmbeddedNeo4j {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: EmbeddedNeo4j DATA_DIR PORT [PAGECACHE]");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    String pageCache = args.length > 2 ? args[2] : "256m";

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
        .setConfig(HttpConnector.enabled, false)
        // Loopback only; the driver connects without credentials.
        .setConfig(GraphDatabaseSettings.auth_enabled, false)
        .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pageCache))
        .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
        // No phoning home: government networks are closed, and so is this machine.
        .setConfig(GraphDatabaseSettings.udc_enabled, false)
        .build();
    // Touch the default database so READY means "queries work", not just "port open".
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");

    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      dbms.shutdown();
      stop.countDown();
    }, "neo4j-shutdown"));
    Thread stdinWatch = new Thread(() -> {
      try {
        while (System.in.read() != -1) { /* parent alive */ }
      } catch (Exception ignored) { }
      System.exit(0); // runs the shutdown hook
    }, "stdin-watch");
    stdinWatch.setDaemon(true);
    stdinWatch.start();

    System.out.println("READY bolt://127.0.0.1:" + port);
    System.out.flush();
    stop.await();
  }
}
