-- oltp_sim.schedule: a malformed schedule is refused with the character,
-- the phase and the reason; a good one is taken as written.  The workers'
-- pacing by phases is tested in test/shell/schedule.sh.
ALTER SYSTEM SET oltp_sim.schedule = '5min';
ALTER SYSTEM SET oltp_sim.schedule = '5@50';
ALTER SYSTEM SET oltp_sim.schedule = '5 mins@50';
ALTER SYSTEM SET oltp_sim.schedule = '0.5ms@50';
ALTER SYSTEM SET oltp_sim.schedule = '400d@50';
ALTER SYSTEM SET oltp_sim.schedule = '200d@1, 200d@1';
ALTER SYSTEM SET oltp_sim.schedule = 'min@50';
ALTER SYSTEM SET oltp_sim.schedule = '5min@-1';
ALTER SYSTEM SET oltp_sim.schedule = '5min@nan';
ALTER SYSTEM SET oltp_sim.schedule = '5min@2000000';
ALTER SYSTEM SET oltp_sim.schedule = '5min@50->';
ALTER SYSTEM SET oltp_sim.schedule = '5min@50 30s@2000';
ALTER SYSTEM SET oltp_sim.schedule = '5min@50, 30s@2000,';
ALTER SYSTEM SET oltp_sim.schedule = '5min@50, 30s@2000, 10min@0, 2min@50->500';
SELECT pg_catalog.regexp_replace(pg_catalog.pg_read_file('postgresql.auto.conf'),
                                 '.*(oltp_sim.schedule = [^\n]*).*', '\1') AS written;
ALTER SYSTEM RESET oltp_sim.schedule;
-- oltp_sim.skew: 0 to 0.99, not NaN
ALTER SYSTEM SET oltp_sim.skew = 1;
ALTER SYSTEM SET oltp_sim.skew = -0.1;
ALTER SYSTEM SET oltp_sim.skew = 'NaN';
