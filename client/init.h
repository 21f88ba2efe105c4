/*-------------------------------------------------------------------------
 *
 * init.h
 *		What the client reads from the extension's install scripts (init.c):
 *		the model's tables (made, or a set's dropped), and the settings a
 *		function pins.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_CLIENT_INIT_H
#define OLTP_SIM_CLIENT_INIT_H

extern void client_init_extension(const char *scripts, const char *name, const char *schema);
extern void client_drop_extension(const char *scripts, const char *name, const char *schema);
extern void client_function_settings(const char *scripts, const char *name, const char *fname);

#endif							/* OLTP_SIM_CLIENT_INIT_H */
