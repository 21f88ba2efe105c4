/*-------------------------------------------------------------------------
 *
 * publication.h
 *		The publication oltp_sim, made on first seeding (publication.c),
 *		and the statement that makes a publication (publication_sql.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_PUBLICATION_H
#define OLTP_SIM_PUBLICATION_H

#include "schema.h"

/* the publication CDC connectors read by default (publication.name) */
#define OLTP_PUBLICATION	"oltp_sim"

/* a table (qualified) added to a publication: the second %s */
#define OLTP_PUBLICATION_ADD_TABLE	"ALTER PUBLICATION %s ADD TABLE %s"

extern void oltp_publication_ensure(const OltpSchema *schema, const char *caller);

/* publication_sql.c, which the client compiles too */
extern char *oltp_publication_table_list(const OltpSchema *schema, bool qualified,
										 bool published);
extern char *oltp_publication_create_sql(const char *name, const OltpSchema *schema);

#endif							/* OLTP_SIM_PUBLICATION_H */
