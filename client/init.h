/*-------------------------------------------------------------------------
 *
 * init.h
 *		oltp_sim_client init (init.c): the model's tables from the
 *		extension's install scripts.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CLIENT_INIT_H
#define OLTP_SIM_CLIENT_INIT_H

extern void client_init_extension(const char *scripts, const char *name, const char *schema);

#endif							/* OLTP_SIM_CLIENT_INIT_H */
