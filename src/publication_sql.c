/*-------------------------------------------------------------------------
 *
 * publication_sql.c
 *		The statement that makes a publication of the model's tables found
 *		in a schema: for oltp_publication() and the first seeding
 *		(publication.c), and for oltp_sim_client's init, which compiles
 *		this file too.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "model.h"
#include "publication.h"
#include "schema.h"

/*
 * The present tables of the model, ", " between them; with published, only
 * those a publication carries (not the set audit's, model.h)
 */
char *
oltp_publication_table_list(const OltpSchema *schema, bool qualified, bool published)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int t = 0; t < OLTP_NTABLES; t++)
		if (schema->present[t] && !(published && oltp_model[t].unpublished))
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
							 qualified ? oltp_schema_qualify(schema, t) : oltp_model[t].name);
	return buf.data;
}

/* CREATE PUBLICATION name FOR TABLE, the present tables a publication carries */
char *
oltp_publication_create_sql(const char *name, const OltpSchema *schema)
{
	return psprintf("CREATE PUBLICATION %s FOR TABLE %s", quote_identifier(name),
					oltp_publication_table_list(schema, true, true));
}
