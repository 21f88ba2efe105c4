-- Bad values of the oltp_sim.* settings are refused, with the reason.
-- PostgreSQL 17 changed the wording of two of these refusals: the range of
-- a setting with a unit is printed with its unit, and an unknown name under
-- the prefix oltp_sim reserves is refused as such.  worker_settings.out
-- holds the wording of 14 to 16, worker_settings_1.out that of 17 and later.
ALTER SYSTEM SET oltp_sim.interval = -1;
ALTER SYSTEM SET oltp_sim.weight_update_exame = -3;
ALTER SYSTEM SET oltp_sim.ops_per_transaction = 0;
ALTER SYSTEM SET oltp_sim.profile = 'busy_day';
ALTER SYSTEM SET oltp_sim.rate = 'NaN';
ALTER SYSTEM SET oltp_sim.database = '';
ALTER SYSTEM SET oltp_sim.workers = 1000;
ALTER SYSTEM SET oltp_sim.no_such_setting = 1;
SET oltp_sim.interval = 10;
