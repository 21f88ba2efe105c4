/* oltp_sim_edge_cases--0.2.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "SELECT oltp_add_tables('edge_cases')" to load this file. \quit

-- The set edge_cases as oltp_sim 0.2.0 made it: its tables were members of
-- oltp_sim itself.  After ALTER EXTENSION oltp_sim UPDATE,
-- oltp_add_tables('edge_cases') (or oltp_drop_tables) finds them there and
-- creates this version, which moves them, rows and all, from oltp_sim to
-- this extension, then updates it to the current version.  Only members of
-- oltp_sim move: ALTER EXTENSION oltp_sim DROP refuses anything else, so
-- nothing another role made is taken in.
ALTER EXTENSION oltp_sim DROP TABLE @extschema@.laudos;
ALTER EXTENSION oltp_sim DROP SEQUENCE @extschema@.laudos_id_seq;
ALTER EXTENSION oltp_sim DROP TABLE @extschema@.fila_triagem;
ALTER EXTENSION oltp_sim DROP SEQUENCE @extschema@.fila_triagem_id_seq;
ALTER EXTENSION oltp_sim_edge_cases ADD TABLE @extschema@.laudos;
ALTER EXTENSION oltp_sim_edge_cases ADD SEQUENCE @extschema@.laudos_id_seq;
ALTER EXTENSION oltp_sim_edge_cases ADD TABLE @extschema@.fila_triagem;
ALTER EXTENSION oltp_sim_edge_cases ADD SEQUENCE @extschema@.fila_triagem_id_seq;
