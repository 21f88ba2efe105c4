/*-------------------------------------------------------------------------
 *
 * args.c
 *		The numbers of the jsonb arguments: oltp_seed's volumes and CALL
 *		oltp_run's weights are whole numbers written as JSON numbers.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <errno.h>

#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "args.h"

/*
 * The whole number a JSON number v holds, read from numeric's own text,
 * which is its exact value: no rounding hides a fraction.  100, 1e2 and
 * 100.0 are whole (JSON writers print floats with a zero fraction), 1.5 is
 * not.  *text gets that text, for the caller's messages.
 */
OltpWhole
oltp_json_whole(const JsonbValue *v, int64 *n, char **text)
{
	char	   *end;
	long long	value;

	Assert(v->type == jbvNumeric);
	*text = DatumGetCString(DirectFunctionCall1(numeric_out,
												NumericGetDatum(v->val.numeric)));
	errno = 0;
	value = strtoll(*text, &end, 10);
	if (end == *text)
		return OLTP_NOT_WHOLE;
	if (*end == '.')
		while (*++end == '0')
			;
	if (*end != '\0')
		return OLTP_NOT_WHOLE;
	if (errno == ERANGE)
		return OLTP_WHOLE_TOO_LARGE;
	*n = (int64) value;
	return OLTP_WHOLE;
}
