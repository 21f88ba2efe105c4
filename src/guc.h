/*-------------------------------------------------------------------------
 *
 * guc.h
 *		The oltp_sim.* settings (guc.c): the variables behind them and
 *		their definition.  The profile and the per-operation weights live
 *		with the operations (op.h).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_GUC_H
#define OLTP_SIM_GUC_H

struct OltpSchedule;

extern char *oltp_sim_database;
extern char *oltp_sim_role;
extern bool oltp_sim_enabled;
extern int	oltp_sim_interval;
extern int	oltp_sim_jitter;
extern double oltp_sim_rate;
extern int	oltp_sim_ops_per_transaction;
extern int	oltp_sim_workers;
extern int	oltp_sim_seed;
extern int	oltp_sim_log_every;
extern int	oltp_sim_watermark_every;
extern int	oltp_sim_batch_rows;
extern int	oltp_sim_long_transaction;
extern int	oltp_sim_abort_hold;
extern int	oltp_sim_max_held_transactions;
extern int	oltp_sim_max_ops;
extern int	oltp_sim_lock_defer;
extern char *oltp_sim_schedule;
extern struct OltpSchedule *oltp_sim_schedule_parsed;	/* NULL or no phases: none */
extern double oltp_sim_skew;

/* prefix of the logical decoding messages the worker writes */
#define OLTP_WATERMARK_PREFIX "oltp_sim"

extern void oltp_guc_define_reloadable(void);
extern void oltp_guc_define_postmaster(void);

#endif							/* OLTP_SIM_GUC_H */
