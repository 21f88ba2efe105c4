package oltpsim.pipeline;

import java.util.List;

/**
 * What cannot match through this pipeline, column by column: for each, the
 * class (encoding: how Debezium's PostgreSQL connector sends the value;
 * sink: what the JDBC sink does with it), the exact loss, and what the sink
 * then holds, as SQL over the source's row x (its text is compared with
 * the sink's under the canonical form's settings).  docs/pipeline.md lists
 * the same; Compare counts, value by value, the differences each explains.
 */
final class Rules {
    static final String ENCODING = "encoding";
    static final String SINK = "sink";

    static final List<Compare.Rule> ALL = List.of(
        new Compare.Rule("reservas_leito", "*", SINK,
            "no key: the sink inserts every event, so an update adds the new row beside the old one and a delete removes nothing",
            null),
        new Compare.Rule("dispositivos", "manutencao", SINK,
            "not carried (field.exclude.list): the JDBC sink cannot hold a time of 24:00:00 and its task dies on one; NULL in the sink",
            "NULL"),
        new Compare.Rule("dispositivos", "janela", ENCODING,
            "a timetz arrives converted to UTC: its offset is gone",
            "pg_catalog.timezone('UTC', x.janela)")
    );

    private Rules() {
    }
}
