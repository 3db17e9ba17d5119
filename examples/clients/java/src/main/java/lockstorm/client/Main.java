// A lockstorm external client (docs/clients.md) on the DataStax Java driver 4.x.
//
// It speaks lockstorm's JSON-lines protocol on stdin/stdout and implements two lock recipes,
// chosen by `--recipe`:
//
//   lwt-ttl-plain-release  the second incident's lock: INSERT ... IF NOT EXISTS USING TTL to
//                          acquire (falling back to flipping a released flag under Paxos), and a
//                          plain UPDATE lock = false to release
//   lwt                    every step a lightweight transaction: INSERT IF NOT EXISTS USING TTL,
//                          DELETE IF owner = ?, reads at the serial level
//
// The driver is pinned to the one contact point lockstorm gives it: a node-distance evaluator
// ignores every node whose endpoint is not that contact point, so the nodes found through
// system.peers never get a connection, and the faults lockstorm puts on this client's link are
// the ones its requests meet.
package lockstorm.client;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.internal.core.time.ServerSideTimestampGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

public final class Main {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long ATTEMPTS_PER_PROCESS = 1_000_000L;
  private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  /** The operation may have taken effect: lockstorm records it `info`. */
  static final class Maybe extends Exception {
    final ArrayNode writes;

    Maybe(Throwable cause, ArrayNode writes) {
      super(describe(cause));
      this.writes = writes;
    }
  }

  /** The operation definitely did not take effect: lockstorm records it `fail`. */
  static final class Definitely extends Exception {
    Definitely(Throwable cause) {
      super(describe(cause));
    }
  }

  private final String recipe;
  private final boolean pinned;
  private CqlSession session;
  private JsonNode settings;
  private int ttl;
  private Stamps stamps;

  /** Plain-write timestamps (μs) as lockstorm's `timestamps` setting asks; null: the server stamps. */
  static final class Stamps {
    private final String kind;
    private final long ms;
    private long last;

    Stamps(String mode) {
      var m = java.util.regex.Pattern.compile("(skewed|quantized):([+-]?\\d+)ms").matcher(mode);
      kind = m.matches() ? m.group(1) : mode;
      ms = m.matches() ? Long.parseLong(m.group(2)) : 0;
      if (kind.equals("tie")) System.err.println("timestamps: tie needs the row's own stamp read back first; this client stamps like the driver instead");
    }

    Long next() {
      long nowUs = java.time.Instant.now().getEpochSecond() * 1_000_000L + java.time.Instant.now().getNano() / 1_000;
      if (kind.equals("server")) return null;
      // Every write in the same unit gets the same stamp, on purpose.
      if (kind.equals("quantized")) return nowUs / (ms * 1000) * (ms * 1000);
      long offset = kind.equals("skewed") ? ms * 1000 : 0;
      // Strictly increasing per client, as a driver's generator is.
      last = Math.max(nowUs + offset, last + 1);
      return last;
    }
  }

  Main(String recipe, boolean pinned) {
    this.recipe = recipe;
    this.pinned = pinned;
  }

  static String describe(Throwable err) {
    String text = err.getClass().getSimpleName() + ": " + err.getMessage();
    text = text.replaceAll("\\s+", " ");
    return text.length() > 300 ? text.substring(0, 300) : text;
  }

  static long tokenToNumber(String owner) {
    String[] parts = owner.substring(1).split("-");
    return Long.parseLong(parts[0]) * ATTEMPTS_PER_PROCESS + Long.parseLong(parts[1]);
  }

  static String numberToToken(long n) {
    return "p" + (n / ATTEMPTS_PER_PROCESS) + "-" + (n % ATTEMPTS_PER_PROCESS);
  }

  // --- connection ---------------------------------------------------------------------------

  void connect(JsonNode msg, String keyspace) {
    String contact = msg.get("contact_points").get(0).asText();
    int colon = contact.lastIndexOf(':');
    InetSocketAddress endpoint = new InetSocketAddress(contact.substring(0, colon), Integer.parseInt(contact.substring(colon + 1)));
    settings = msg.get("settings");
    ttl = settings.get("ttl_s").asInt();
    Duration timeout = Duration.ofMillis(settings.get("op_timeout_ms").asLong());
    stamps = new Stamps(settings.get("timestamps").asText());
    ProgrammaticDriverConfigLoaderBuilder config =
        DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, settings.get("write_cl").asText())
            .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, settings.get("serial_cl").asText())
            .withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, false)
            // Plain writes carry the stamp Stamps gives them, or none: the coordinator's.
            .withClass(DefaultDriverOption.TIMESTAMP_GENERATOR_CLASS, ServerSideTimestampGenerator.class)
            .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
            .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
            .withString(DefaultDriverOption.PROTOCOL_VERSION, "V4")
            .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofSeconds(1))
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(1));
    var builder =
        CqlSession.builder()
            .addContactPoint(endpoint)
            .withLocalDatacenter(msg.get("local_dc").asText())
            .withConfigLoader(config.build());
    if (pinned) {
      // Every node but the contact point is ignored: no pool, never in a query plan.
      builder.withNodeDistanceEvaluator(
          (node, localDc) -> sameEndpoint(node.getEndPoint().resolve(), endpoint) ? null : NodeDistance.IGNORED);
    }
    if (keyspace != null) builder.withKeyspace(keyspace);
    session = builder.build();
    System.err.println("connected to " + contact + " (recipe " + recipe + ", pinned=" + pinned + ")");
  }

  private static boolean sameEndpoint(SocketAddress a, InetSocketAddress b) {
    if (!(a instanceof InetSocketAddress x)) return false;
    if (x.getPort() != b.getPort()) return false;
    if (x.getAddress() != null && b.getAddress() != null) return x.getAddress().equals(b.getAddress());
    return x.getHostString().equals(b.getHostString());
  }

  void close() {
    if (session != null) session.close();
  }

  private ResultSet run(String cql, String cl, Object... params) {
    return runStamped(cql, cl, null, params);
  }

  private ResultSet runStamped(String cql, String cl, Long stamp, Object... params) {
    ConsistencyLevel level = DefaultConsistencyLevel.valueOf(cl);
    SimpleStatement st = SimpleStatement.newInstance(cql, params).setConsistencyLevel(level);
    if (stamp != null) st = st.setQueryTimestamp(stamp);
    return session.execute(st);
  }

  /** A write or LWT: an error may hide a write that landed, unless it never left or was refused. */
  private ResultSet write(String cql, ArrayNode writes, Object... params) throws Maybe, Definitely {
    return writeStamped(cql, writes, null, params);
  }

  private ResultSet writeStamped(String cql, ArrayNode writes, Long stamp, Object... params) throws Maybe, Definitely {
    try {
      return runStamped(cql, settings.get("write_cl").asText(), stamp, params);
    } catch (UnavailableException | NoNodeAvailableException e) {
      // Refused by the coordinator, or never sent.
      throw new Definitely(e);
    } catch (RuntimeException e) {
      throw new Maybe(e, writes);
    }
  }

  // --- the recipes --------------------------------------------------------------------------

  void setup(String keyspace) {
    String cql =
        "lwt".equals(recipe)
            ? "CREATE TABLE IF NOT EXISTS " + keyspace + ".lwt_locks (id text PRIMARY KEY, owner text)"
            : "CREATE TABLE IF NOT EXISTS " + keyspace + ".flag_locks (id text PRIMARY KEY, lock boolean, revision bigint)";
    session.execute(SimpleStatement.newInstance(cql).setConsistencyLevel(DefaultConsistencyLevel.ALL).setTimeout(Duration.ofSeconds(60)));
  }

  private ObjectNode writeOf(String table, String key, ObjectNode cells, boolean withTtl) {
    ObjectNode w = JSON.createObjectNode();
    w.put("table", table);
    w.put("key", key);
    w.set("cells", cells);
    w.putNull("timestamp");
    if (withTtl && ttl > 0) w.put("ttl", ttl);
    else w.putNull("ttl");
    return w;
  }

  private static String flagOwner(Row row) {
    if (row == null || row.isNull("lock") || !row.getBoolean("lock")) return null;
    if (!row.getColumnDefinitions().contains("revision") || row.isNull("revision")) return null;
    return numberToToken(row.getLong("revision") / 2);
  }

  private static ObjectNode saw(String owner) {
    ObjectNode saw = JSON.createObjectNode();
    if (owner == null) saw.putNull("owner");
    else saw.put("owner", owner);
    return saw;
  }

  ObjectNode acquire(String key, String owner) throws Maybe, Definitely {
    ObjectNode reply = JSON.createObjectNode();
    ArrayNode writes = JSON.createArrayNode();
    if ("lwt".equals(recipe)) {
      ObjectNode cells = JSON.createObjectNode().put("owner", owner);
      writes.add(writeOf("lwt_locks", key, cells, true));
      Row row = write("INSERT INTO lwt_locks (id, owner) VALUES (?, ?) IF NOT EXISTS USING TTL ?", writes, key, owner, ttl).one();
      if (row.getBoolean("[applied]")) return reply.put("type", "ok").set("writes", writes);
      reply.put("type", "fail").set("saw", saw(row.getString("owner")));
      return reply;
    }
    long revision = 2 * tokenToNumber(owner);
    ObjectNode cells = JSON.createObjectNode().put("lock", true).put("revision", revision);
    writes.add(writeOf("flag_locks", key, cells, true));
    Row row = write("INSERT INTO flag_locks (id, lock, revision) VALUES (?, true, ?) IF NOT EXISTS USING TTL ?", writes, key, revision, ttl).one();
    if (row.getBoolean("[applied]")) return reply.put("type", "ok").set("writes", writes);
    if (row.isNull("lock") || row.getBoolean("lock")) {
      reply.put("type", "fail").set("saw", saw(flagOwner(row)));
      return reply;
    }
    // A released row still exists: take it by flipping its flag under Paxos.
    row = write("UPDATE flag_locks USING TTL ? SET lock = true, revision = ? WHERE id = ? IF lock = false", writes, ttl, revision, key).one();
    if (row.getBoolean("[applied]")) return reply.put("type", "ok").set("writes", writes);
    reply.put("type", "fail").set("saw", saw(flagOwner(row)));
    return reply;
  }

  ObjectNode release(String key, String owner) throws Maybe, Definitely {
    ObjectNode reply = JSON.createObjectNode();
    ArrayNode writes = JSON.createArrayNode();
    if ("lwt".equals(recipe)) {
      writes.add(writeOf("lwt_locks", key, JSON.createObjectNode(), false));
      Row row = write("DELETE FROM lwt_locks WHERE id = ? IF owner = ?", writes, key, owner).one();
      if (row.getBoolean("[applied]")) return reply.put("type", "ok").set("writes", writes);
      String holder = row.getColumnDefinitions().contains("owner") ? row.getString("owner") : null;
      reply.put("type", "fail").set("saw", saw(holder));
      return reply;
    }
    long revision = 2 * tokenToNumber(owner) + 1;
    Long stamp = stamps.next();
    ObjectNode w = writeOf("flag_locks", key, JSON.createObjectNode().put("lock", false).put("revision", revision), false);
    if (stamp != null) w.put("timestamp", stamp);
    writes.add(w);
    writeStamped("UPDATE flag_locks SET lock = false, revision = ? WHERE id = ?", writes, stamp, revision, key);
    return reply.put("type", "ok").set("writes", writes);
  }

  ObjectNode read(String key, String cl) throws Definitely {
    ObjectNode value = JSON.createObjectNode();
    Row row;
    try {
      if ("lwt".equals(recipe)) {
        row = run("SELECT owner FROM lwt_locks WHERE id = ?", cl != null ? cl : settings.get("serial_cl").asText(), key).one();
      } else {
        row = run("SELECT lock, revision FROM flag_locks WHERE id = ?", cl != null ? cl : settings.get("read_cl").asText(), key).one();
      }
    } catch (RuntimeException e) {
      // A read changes nothing.
      throw new Definitely(e);
    }
    if (row == null) {
      value.putNull("owner");
      value.putNull("row");
    } else if ("lwt".equals(recipe)) {
      String owner = row.getString("owner");
      value.put("owner", owner);
      value.putObject("row").put("owner", owner);
    } else {
      String owner = flagOwner(row);
      if (owner == null) value.putNull("owner");
      else value.put("owner", owner);
      ObjectNode r = value.putObject("row");
      if (row.isNull("lock")) r.putNull("lock");
      else r.put("lock", row.getBoolean("lock"));
      if (row.isNull("revision")) r.putNull("revision");
      else r.put("revision", row.getLong("revision"));
    }
    ObjectNode reply = JSON.createObjectNode().put("type", "ok");
    reply.set("value", value);
    return reply;
  }

  // --- the protocol -------------------------------------------------------------------------

  static void say(ObjectNode message) throws Exception {
    OUT.println(JSON.writeValueAsString(message));
  }

  public static void main(String[] args) throws Exception {
    String recipe = "lwt-ttl-plain-release";
    boolean pinned = true;
    List<String> argv = List.of(args);
    for (int i = 0; i < argv.size(); i++) {
      if (argv.get(i).equals("--recipe") && i + 1 < argv.size()) recipe = argv.get(++i);
      // Only for lockstorm's own test that it notices a client going around its contact point.
      else if (argv.get(i).equals("--unpinned")) pinned = false;
      else throw new IllegalArgumentException("unknown argument " + argv.get(i));
    }
    if (!recipe.equals("lwt") && !recipe.equals("lwt-ttl-plain-release")) throw new IllegalArgumentException("--recipe: lwt or lwt-ttl-plain-release");
    Main client = new Main(recipe, pinned);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      JsonNode msg = JSON.readTree(line);
      String type = msg.path("type").asText();
      if (type.equals("shutdown")) break;
      if (type.equals("setup")) {
        client.connect(msg, null);
        client.setup(msg.get("keyspace").asText());
        say(JSON.createObjectNode().put("type", "setup_ok"));
      } else if (type.equals("init")) {
        client.connect(msg, msg.get("keyspace").asText());
        say(JSON.createObjectNode().put("type", "init_ok"));
      } else if (type.equals("invoke")) {
        long id = msg.get("id").asLong();
        String f = msg.get("f").asText();
        String key = msg.get("key").asText();
        ObjectNode reply;
        try {
          if (f.equals("acquire")) reply = client.acquire(key, msg.get("owner").asText());
          else if (f.equals("release")) reply = client.release(key, msg.get("owner").asText());
          else reply = client.read(key, msg.hasNonNull("cl") ? msg.get("cl").asText() : null);
        } catch (Maybe e) {
          reply = JSON.createObjectNode().put("type", "info").put("error", e.getMessage());
          reply.set("writes", e.writes);
        } catch (Definitely e) {
          reply = JSON.createObjectNode().put("type", "fail").put("error", e.getMessage());
        }
        reply.put("id", id);
        say(reply);
      }
    }
    client.close();
    System.exit(0);
  }
}
