/*-------------------------------------------------------------------------
 *
 * oltp_sim.c
 *		Module entry: PG_MODULE_MAGIC and _PG_init, which defines the
 *		settings and, when the library is preloaded, the shared state and
 *		the launcher.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "utils/guc.h"

#include "guc.h"
#include "launcher.h"
#include "op.h"
#include "shmem.h"

PG_MODULE_MAGIC;

/* PostgreSQL 16 and later declare it in fmgr.h; 14 and 15 do not */
extern void _PG_init(void);

#ifdef OLTP_HAVE_SHMEM_REQUEST_HOOK
static shmem_request_hook_type prev_shmem_request_hook = NULL;
#endif
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

#ifdef OLTP_HAVE_SHMEM_REQUEST_HOOK
static void
oltp_shmem_request_hook(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	oltp_shmem_request();
}
#endif

static void
oltp_shmem_startup_hook(void)
{
	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	/*
	 * Until a worker applies its settings, the weights in shared memory are
	 * those in effect at start.
	 */
	if (oltp_shmem_startup())
		for (int i = 0; i < oltp_nops; i++)
			oltp_shared->weights[i] = oltp_ops_weight(i);
}

void
_PG_init(void)
{
	oltp_guc_define_reloadable();
	oltp_ops_define_gucs();

	if (!process_shared_preload_libraries_in_progress)
		return;

	oltp_guc_define_postmaster();
	MarkGUCPrefixReserved("oltp_sim");

#ifdef OLTP_HAVE_SHMEM_REQUEST_HOOK
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = oltp_shmem_request_hook;
#else
	oltp_shmem_request();
#endif
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = oltp_shmem_startup_hook;

	if (oltp_sim_workers > 0)
		oltp_register_launcher();
}
