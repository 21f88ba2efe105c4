/* oltp_sim_types--0.2.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "SELECT oltp_add_tables('types')" to load this file. \quit

-- The set types as oltp_sim 0.2.0 made it: its tables, enum and domain were
-- members of oltp_sim itself.  After ALTER EXTENSION oltp_sim UPDATE,
-- oltp_add_tables('types') (or oltp_drop_tables) finds them there and
-- creates this version, which moves them, rows and all, from oltp_sim to
-- this extension, then updates it to the current version.  Only members of
-- oltp_sim move: ALTER EXTENSION oltp_sim DROP refuses anything else, so
-- nothing another role made is taken in.
ALTER EXTENSION oltp_sim DROP TYPE @extschema@.status_fatura;
ALTER EXTENSION oltp_sim DROP DOMAIN @extschema@.percentual;
ALTER EXTENSION oltp_sim DROP TABLE @extschema@.sinais_vitais;
ALTER EXTENSION oltp_sim DROP SEQUENCE @extschema@.sinais_vitais_id_seq;
ALTER EXTENSION oltp_sim DROP TABLE @extschema@.faturas;
ALTER EXTENSION oltp_sim DROP TABLE @extschema@.prontuarios;
ALTER EXTENSION oltp_sim DROP TABLE @extschema@.dispositivos;
ALTER EXTENSION oltp_sim DROP SEQUENCE @extschema@.dispositivos_id_seq;
ALTER EXTENSION oltp_sim DROP TABLE @extschema@.reservas_leito;
ALTER EXTENSION oltp_sim_types ADD TYPE @extschema@.status_fatura;
ALTER EXTENSION oltp_sim_types ADD DOMAIN @extschema@.percentual;
ALTER EXTENSION oltp_sim_types ADD TABLE @extschema@.sinais_vitais;
ALTER EXTENSION oltp_sim_types ADD SEQUENCE @extschema@.sinais_vitais_id_seq;
ALTER EXTENSION oltp_sim_types ADD TABLE @extschema@.faturas;
ALTER EXTENSION oltp_sim_types ADD TABLE @extschema@.prontuarios;
ALTER EXTENSION oltp_sim_types ADD TABLE @extschema@.dispositivos;
ALTER EXTENSION oltp_sim_types ADD SEQUENCE @extschema@.dispositivos_id_seq;
ALTER EXTENSION oltp_sim_types ADD TABLE @extschema@.reservas_leito;
