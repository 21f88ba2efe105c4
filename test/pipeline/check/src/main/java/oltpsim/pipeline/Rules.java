package oltpsim.pipeline;

import java.util.List;

/**
 * What cannot match through this pipeline, value by value: each rule names
 * a column, the class of its cause (encoding: how Debezium's PostgreSQL
 * connector sends the value, with test/debezium/connector.properties; sink:
 * what the JDBC sink does with it), the exact loss, the source rows it
 * concerns (SQL over the source's row x) and what the sink then holds for
 * them (SQL over x; its text is compared with the sink's under the
 * canonical form's settings; sinkPattern, when set, is a regular expression
 * whose matches are cut from the sink's text first: a Java object's hash).
 * docs/pipeline.md lists the same; Compare counts the values each explains,
 * and counts any other difference as unexplained.
 */
final class Rules {
    static final String ENCODING = "encoding";
    static final String SINK = "sink";

    /**
     * Where a rule says SINCE: when the stream started (tools/pipeline notes
     * it, as the source's localtimestamp, just before oltp_start()).  A row
     * last written before it reached the sink through the snapshot only.
     */
    static final String SINCE = "$SINCE";

    /** The last microsecond a long counts from the epoch (see test/debezium Types). */
    static final String LAST_MICRO = "'294247-01-10 04:00:54.775807'::pg_catalog.timestamp";

    static final List<Compare.Rule> ALL = List.of(
        new Compare.Rule("sinais_vitais", "glicemia", ENCODING,
            "NaN, Infinity and -Infinity arrive as NAN, POSITIVE_INFINITY and NEGATIVE_INFINITY (decimal.handling.mode=string); "
                + "no numeric reads the last two, so the column is text in the sink",
            "x.glicemia::pg_catalog.text = ANY ('{NaN,Infinity,-Infinity}')",
            "CASE x.glicemia::pg_catalog.text WHEN 'NaN' THEN 'NAN' WHEN 'Infinity' THEN 'POSITIVE_INFINITY' ELSE 'NEGATIVE_INFINITY' END",
            null),
        new Compare.Rule("sinais_vitais", "leituras", ENCODING,
            "a two-dimensional numeric[] arrives as one null per row",
            "pg_catalog.array_ndims(x.leituras) > 1",
            "pg_catalog.array_fill(NULL::pg_catalog.numeric, ARRAY[pg_catalog.array_length(x.leituras, 1)])",
            null),
        new Compare.Rule("sinais_vitais", "leituras", ENCODING,
            "a numeric[] holding NaN or an infinity arrives null",
            "pg_catalog.array_ndims(x.leituras) = 1 AND x.leituras OPERATOR(pg_catalog.&&) '{NaN,Infinity,-Infinity}'::pg_catalog.numeric[]",
            "NULL",
            null),
        new Compare.Rule("sinais_vitais", "observacoes", ENCODING,
            "a two-dimensional text[] arrives as the names of Java arrays, one per row",
            "pg_catalog.array_ndims(x.observacoes) > 1",
            "pg_catalog.array_fill('[Ljava.lang.String;@'::pg_catalog.text, ARRAY[pg_catalog.array_length(x.observacoes, 1)])",
            "(?<=\\[Ljava\\.lang\\.String;@)[0-9a-f]+"),
        new Compare.Rule("faturas", "emitida_em", ENCODING,
            "timestamp 'infinity' arrives as the JDBC driver's constant, 9223372036825200000 us: the sink writes 294247-01-10 04:00:25.2",
            "x.emitida_em = 'infinity'",
            "'294247-01-10 04:00:25.2'::pg_catalog.timestamp",
            null),
        new Compare.Rule("faturas", "emitida_em", ENCODING,
            "a timestamp after 294247-01-10 04:00:54.775807 overflows the microseconds since the epoch: the sink writes -infinity",
            "x.emitida_em > " + LAST_MICRO + " AND pg_catalog.isfinite(x.emitida_em)",
            "'-infinity'::pg_catalog.timestamp",
            null),
        new Compare.Rule("faturas", "vencimento", ENCODING,
            "date 'infinity' arrives as a day before every real date: the sink writes -infinity",
            "x.vencimento = 'infinity'",
            "'-infinity'::pg_catalog.date",
            null),
        new Compare.Rule("faturas", "vencimento", ENCODING,
            "in a snapshot a date BC arrives as the same day AD (the connector reads it through JDBC's java.sql.Date)",
            "x.vencimento < '0001-01-01' AND pg_catalog.isfinite(x.vencimento) AND x.updated_at < " + SINCE,
            "pg_catalog.to_char(x.vencimento, 'YYYY-MM-DD')::pg_catalog.date",
            null),
        new Compare.Rule("dispositivos", "manutencao", SINK,
            "not carried (field.exclude.list): the JDBC sink cannot hold a time of 24:00:00 and its task dies on one; NULL in the sink",
            "x.manutencao IS NOT NULL",
            "NULL",
            null),
        new Compare.Rule("dispositivos", "janela", ENCODING,
            "a timetz arrives converted to UTC: its offset is gone",
            "true",
            "pg_catalog.timezone('UTC', x.janela)",
            null),
        new Compare.Rule("dispositivos", "capacidades", ENCODING,
            "a varbit arrives as a number: its leading zeros, so its length, are gone; the sink writes the declared 64 bits",
            "true",
            "pg_catalog.lpad(x.capacidades::pg_catalog.text, 64, '0')",
            null),
        new Compare.Rule("reservas_leito", "*", SINK,
            "no key: the sink inserts every event, so an update adds the new row beside the old one and a delete removes nothing",
            null, null, null)
    );

    private Rules() {
    }
}
