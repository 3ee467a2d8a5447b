import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;

/**
 * Neo4j's documented "embedded with Bolt" setup: a real Neo4j 5.26 database
 * with a Bolt connector on a loopback port, authentication on, for the
 * extranet manager's default (no NEO4J_URI) mode and for its tests.
 *
 * Usage: java -cp CLASSPATH EmbeddedNeo4j DATA_DIR PORT [PAGECACHE]   (password on stdin)
 * (compiled once by the Node side into .cache/, or run as a single-file source program)
 *
 * Contract with the Node side (backend/src/neo4j/embedded.ts):
 *  - reads the password of the user `neo4j` as the first line of stdin (never argv: every local
 *    user can read a process's argv in /proc) and never prints it;
 *  - prints exactly one line "READY bolt://127.0.0.1:PORT" on stdout once Bolt accepts connections
 *    and `neo4j` has that password;
 *  - exits (after a clean shutdown) on SIGINT/SIGTERM, or when its stdin closes,
 *    so the database never outlives the process that started it by accident.
 */
public class EmbeddedNeo4j {
  static final String USER = "neo4j";

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: EmbeddedNeo4j DATA_DIR PORT [PAGECACHE]   (the password of the user neo4j on stdin)");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    String pageCache = args.length > 2 ? args[2] : "256m";

    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String password = stdin.readLine();
    if (password == null || password.isEmpty()) {
      System.err.println("EmbeddedNeo4j: no password on stdin (the first line is the password of the user neo4j)");
      System.exit(2);
    }

    Path initialUsers = writeInitialPassword(home, password);
    DatabaseManagementService dbms;
    try {
      dbms = new DatabaseManagementServiceBuilder(home)
          .setConfig(BoltConnector.enabled, true)
          .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
          .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
          .setConfig(HttpConnector.enabled, false)
          // Loopback is shared by every local user and process: only the holder of the password gets in.
          .setConfig(GraphDatabaseSettings.auth_enabled, true)
          .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pageCache))
          .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
          // No phoning home: government networks are closed, and so is this machine.
          .setConfig(GraphDatabaseSettings.udc_enabled, false)
          // Every poll cycle rewrites the polled states: Neo4j's default (2 days of transaction logs)
          // would keep tens of GB at province size. The logs serve recovery and incremental backup only.
          .setConfig(GraphDatabaseSettings.keep_logical_logs, "1G size")
          .build();
    } finally {
      // Read at start only; the system database holds the credential from here on.
      Files.deleteIfExists(initialUsers);
    }
    ensurePassword(dbms, password);
    // Touch the default database so READY means "queries work", not just "port open".
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");

    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      dbms.shutdown();
      stop.countDown();
    }, "neo4j-shutdown"));
    Thread stdinWatch = new Thread(() -> {
      try {
        while (stdin.read() != -1) { /* parent alive */ }
      } catch (Exception ignored) { }
      System.exit(0); // runs the shutdown hook
    }, "stdin-watch");
    stdinWatch.setDaemon(true);
    stdinWatch.start();

    System.out.println("READY bolt://127.0.0.1:" + port);
    System.out.flush();
    stop.await();
  }

  /**
   * What `neo4j-admin dbms set-initial-password` does: an `auth.ini` in the DBMS folder that Neo4j
   * reads while it starts, before Bolt listens. It creates `neo4j` with this password on a new store,
   * and replaces the default password `neo4j` on a store that never had another one (one that ran
   * with authentication off) — so there is no moment when Bolt accepts `neo4j`/`neo4j`.
   */
  static Path writeInitialPassword(Path home, String password) throws Exception {
    Config config = Config.newBuilder().set(GraphDatabaseSettings.neo4j_home, home).build();
    Path file = CommunitySecurityModule.getInitialUserRepositoryFile(config);
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    try (DefaultFileSystemAbstraction fs = new DefaultFileSystemAbstraction()) {
      FileUserRepository users = new FileUserRepository(fs, file, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
      users.start();
      SystemGraphCredential credential =
          SystemGraphCredential.createCredentialForPassword(password.getBytes(StandardCharsets.UTF_8), new SecureHasher());
      users.create(new User(USER, null, credential, false, false));
      users.shutdown();
    }
    return file;
  }

  /**
   * A store whose `neo4j` already has another password (the password file was replaced, say) gets the
   * one from the Node side: that file is the one source of the password. Same password: nothing to do.
   */
  static void ensurePassword(DatabaseManagementService dbms, String password) {
    try {
      dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
          .executeTransactionally("ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("cannot be the same")) throw e;
    }
  }
}
