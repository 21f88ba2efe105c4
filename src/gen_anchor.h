/*-------------------------------------------------------------------------
 *
 * gen_anchor.h
 *		The anchors the generators can draw around (gen_anchor.c): those
 *		whose every drawn date and timestamp PostgreSQL can read back.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_GEN_ANCHOR_H
#define OLTP_SIM_GEN_ANCHOR_H

#include "datatype/timestamp.h"

/* refuse, with the range allowed, an anchor outside it */
extern void oltp_anchor_check(Timestamp anchor);

/*
 * How many whole seconds a clock starting at anchor (in range) may tick
 * and still be an anchor in range; *last is the last day allowed, as text.
 */
extern int64 oltp_anchor_seconds_left(Timestamp anchor, const char **last);

#endif							/* OLTP_SIM_GEN_ANCHOR_H */
