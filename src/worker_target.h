/*-------------------------------------------------------------------------
 *
 * worker_target.h
 *		What the launcher (launcher.c) hands the streaming workers
 *		(worker.c): the database and role to connect to.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_WORKER_TARGET_H
#define OLTP_SIM_WORKER_TARGET_H

#include "postgres_ext.h"
#include "pg_config_manual.h"

/* what the launcher tells a worker to connect to */
typedef struct WorkerTarget
{
	Oid			dboid;
	Oid			roleoid;
	char		dbname[NAMEDATALEN];
	char		rolename[NAMEDATALEN];
} WorkerTarget;

/* what travels in bgw_extra: the names are read again by the worker */
typedef struct WorkerTargetOids
{
	Oid			dboid;
	Oid			roleoid;
} WorkerTargetOids;

#endif							/* OLTP_SIM_WORKER_TARGET_H */
