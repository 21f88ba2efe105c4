package oltpsim.pipeline;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's own side of tools/pipeline, one subcommand a call:
 *
 *   sink-tables   creates the sink's tables from the source's catalog
 *   connectors    the source connector (connector.properties) and the sink
 *                 connectors (Sink.configs), through Kafka Connect's REST API
 *   drain         waits until the slot has confirmed past an LSN and every
 *                 sink connector's consumer group has no lag
 *   report        events per table and kind from the topics against
 *                 oltp_changes(), and the sink against the source, table by
 *                 table, every difference classified (Compare)
 *   latency       commit on the source to row readable in the sink (bench)
 *
 * Arguments are --name value pairs; what each needs is in its class.
 */
public final class Pipeline {
    final Map<String, String> arg = new LinkedHashMap<>();

    public static void main(String[] args) {
        Pipeline p = new Pipeline();
        if (args.length == 0) {
            System.err.println("usage: Pipeline sink-tables|connectors|drain|report|latency --name value ...");
            System.exit(2);
        }
        for (int i = 1; i + 1 < args.length; i += 2) {
            p.arg.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int code;
        try {
            switch (args[0]) {
                case "sink-tables":
                    code = Sink.createTables(p);
                    break;
                case "connectors":
                    code = Connect.configure(p);
                    break;
                case "drain":
                    code = Connect.drain(p);
                    break;
                case "report":
                    code = Report.run(p);
                    break;
                case "latency":
                    code = Latency.run(p);
                    break;
                default:
                    System.err.println("unknown subcommand " + args[0]);
                    code = 2;
            }
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace(System.err);
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    String need(String name) {
        String v = arg.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    String get(String name, String dflt) {
        return arg.getOrDefault(name, dflt);
    }

    /** A connection to a database of the source or the sink server (trust on 127.0.0.1). */
    Connection connect(String which) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + need(which + "-port") + "/" + get("db", "oltp_sim")
                + "?user=postgres&ApplicationName=oltp_sim_pipeline");
    }

    static void progress(String s) {
        System.err.println("==> " + s);
        System.err.flush();
    }

    static String one(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static List<String[]> rows(Connection c, String sql, Object... params) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] r = new String[n];
                    for (int i = 0; i < n; i++) {
                        r[i] = rs.getString(i + 1);
                    }
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The tables of oltp_tables() that exist in the source, in its order, and whether each has a key. */
    static Map<String, Boolean> tables(Connection src) throws SQLException {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String[] r : rows(src, "SELECT table_name, primary_key IS NOT NULL FROM oltp_tables() "
                + "WHERE pg_catalog.to_regclass(pg_catalog.quote_ident(table_name)) IS NOT NULL ORDER BY ordinal")) {
            out.put(r[0], "t".equals(r[1]));
        }
        return out;
    }
}
