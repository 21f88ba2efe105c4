/*-------------------------------------------------------------------------
 *
 * args.h
 *		Reading the numbers of the jsonb arguments (args.c): oltp_seed's
 *		rows and CALL oltp_run's weights.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_ARGS_H
#define OLTP_SIM_ARGS_H

#include "utils/jsonb.h"

typedef enum OltpWhole
{
	OLTP_WHOLE,					/* a whole number, in *n */
	OLTP_NOT_WHOLE,				/* it has a fraction */
	OLTP_WHOLE_TOO_LARGE		/* whole, but past int8 */
} OltpWhole;

extern OltpWhole oltp_json_whole(const JsonbValue *v, int64 *n, char **text);

#endif							/* OLTP_SIM_ARGS_H */
