/*-------------------------------------------------------------------------
 *
 * publication.h
 *		The publication oltp_sim, made on first seeding (publication.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_PUBLICATION_H
#define OLTP_SIM_PUBLICATION_H

#include "schema.h"

/* the publication CDC connectors read by default (publication.name) */
#define OLTP_PUBLICATION	"oltp_sim"

extern void oltp_publication_ensure(const OltpSchema *schema, const char *caller);

#endif							/* OLTP_SIM_PUBLICATION_H */
