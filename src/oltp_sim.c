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

#include "oltp_sim.h"

PG_MODULE_MAGIC;

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
	oltp_shmem_startup();
}

void
_PG_init(void)
{
	oltp_guc_define_reloadable();

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
