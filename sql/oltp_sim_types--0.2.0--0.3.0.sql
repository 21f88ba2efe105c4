/* oltp_sim_types--0.2.0--0.3.0.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "SELECT oltp_add_tables('types')" to load this file. \quit

-- pg_dump writes their rows and the sequences' positions
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sinais_vitais', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sinais_vitais_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.faturas', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.prontuarios', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.dispositivos', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.dispositivos_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.reservas_leito', '');
