/*-------------------------------------------------------------------------
 *
 * privilege.c
 *		Who may read the stream's state: the check oltp_status(),
 *		oltp_held_transactions(), oltp_operations() and oltp_changes() (and
 *		so their views) make themselves, and the hint a refused role gets.
 *
 * last_error can carry row values, so the state is for the extension's
 * owner, members of pg_monitor and the roles granted EXECUTE on a function.
 * PostgreSQL's own refusal of a function a role may not execute says
 * "permission denied for function ..." and nothing else, before any code of
 * the function runs, so it cannot say what to grant.  Instead EXECUTE (and
 * SELECT on the views) is granted to PUBLIC, and the function checks the
 * privilege itself, as PostgreSQL would with PUBLIC's entries of its ACL
 * left out: a superuser, the roles granted EXECUTE (pg_monitor by the
 * install script, any other by GRANT EXECUTE), the owner unless it revoked
 * its own, and every role that has the privileges of one of them.  So GRANT
 * and REVOKE on a role work as they always did, and PUBLIC, which every
 * role is a member of, opens nothing.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

#include "privilege.h"

/* may role execute function fn by a grant other than PUBLIC's? */
static bool
privilege_granted(Oid fn, Oid role)
{
	HeapTuple	tuple;
	Datum		datum;
	bool		isnull;
	Acl		   *acl;
	AclItem    *items;
	bool		granted = false;

	if (superuser_arg(role))
		return true;
	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for function %u", fn);
	datum = SysCacheGetAttr(PROCOID, tuple, Anum_pg_proc_proacl, &isnull);
	/* no ACL is the default: the owner's EXECUTE and PUBLIC's */
	acl = isnull ? acldefault(OBJECT_FUNCTION, ((Form_pg_proc) GETSTRUCT(tuple))->proowner)
		: DatumGetAclPCopy(datum);
	ReleaseSysCache(tuple);

	items = ACL_DAT(acl);
	for (int i = 0; i < ACL_NUM(acl) && !granted; i++)
		granted = items[i].ai_grantee != ACL_ID_PUBLIC &&
			(ACLITEM_GET_PRIVS(items[i]) & ACL_EXECUTE) != 0 &&
			has_privs_of_role(role, items[i].ai_grantee);
	pfree(acl);
	return granted;
}

/*
 * Refuse the caller of the running function unless it may read the
 * stream's state, with the same message as PostgreSQL's and the grants
 * that would let it in.
 */
void
oltp_require_reader(FunctionCallInfo fcinfo)
{
	Oid			fn = fcinfo->flinfo->fn_oid;
	Oid			role = GetUserId();
	const char *name;

	if (privilege_granted(fn, role))
		return;
	name = quote_identifier(GetUserNameFromId(role, false));
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied for function %s", get_func_name(fn)),
			 errdetail("The stream's state can carry row values (last_error): it is for the extension's owner, members of pg_monitor and the roles granted EXECUTE on the function."),
			 errhint("Grant the role pg_monitor (GRANT pg_monitor TO %s;), or this function and its view alone (GRANT EXECUTE ON FUNCTION %s TO %s;).",
					 name, format_procedure_qualified(fn), name)));
}
