/* oltp_sim_edge_cases--0.2.0--0.3.0.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "SELECT oltp_add_tables('edge_cases')" to load this file. \quit

-- pg_dump writes their rows and the sequences' positions
SELECT pg_catalog.pg_extension_config_dump('@extschema@.laudos', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.laudos_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.fila_triagem', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.fila_triagem_id_seq', '');
