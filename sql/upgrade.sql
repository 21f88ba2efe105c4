-- The upgrade path: 0.1.0 updated to the current version equals the
-- current version created fresh, in every object the extension owns (see
-- sql/describe.psql).  A missing step in an upgrade script shows below as
-- the lines only one of the two databases has.
CREATE DATABASE oltp_sim_fresh;
CREATE DATABASE oltp_sim_updated;

\c oltp_sim_fresh
CREATE EXTENSION oltp_sim;
-- seeded as the updated one is: the first seeding makes the publication
-- oltp_sim, which CREATE EXTENSION no longer leaves (a restore makes it)
SELECT count(*) FROM pg_publication;
SELECT count(*) FROM oltp_seed(scale => 0.05, seed => 1);
\set ECHO none
\i sql/describe.psql
\set ECHO all
SELECT string_agg(line, E'\n' ORDER BY line) AS fresh FROM describe \gset

\c oltp_sim_updated
CREATE EXTENSION oltp_sim VERSION '0.1.0';
-- with rows in the tables, as a real upgrade finds them
SELECT count(*) FROM oltp_seed(pacientes => 100, medicos => 10, convenios => 3,
                               pacientes_convenios => 100, consultas => 200,
                               exames => 100, internacoes => 50, seed => 1);
ALTER EXTENSION oltp_sim UPDATE;
SELECT extversion = default_version AS at_default_version
FROM pg_extension JOIN pg_available_extensions ON name = extname WHERE extname = 'oltp_sim';
\set ECHO none
\i sql/describe.psql
\set ECHO all

SELECT string_agg(line, E'\n' ORDER BY line) = :'fresh' AS identical FROM describe;
-- the differences, if any
SELECT 'only fresh' AS side, line FROM unnest(string_to_array(:'fresh', E'\n')) AS f(line)
EXCEPT ALL SELECT 'only fresh', line FROM describe
UNION ALL
(SELECT 'only updated', line FROM describe
 EXCEPT ALL SELECT 'only updated', line FROM unnest(string_to_array(:'fresh', E'\n')) AS f(line))
ORDER BY 1, 2;

\c contrib_regression
DROP DATABASE oltp_sim_fresh;
DROP DATABASE oltp_sim_updated;
