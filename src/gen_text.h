/*-------------------------------------------------------------------------
 *
 * gen_text.h
 *		Generators for the tables of the edge_cases set (gen_text.c): the
 *		long pt_BR text of an exam report and a triage queue entry.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_GEN_TEXT_H
#define OLTP_SIM_GEN_TEXT_H

#include "compat.h"

/*
 * A report's text, in bytes: above the TOAST threshold (about 2 kB) so it
 * is always stored out of line, and up to 64 kB.
 */
#define OLTP_LAUDO_MIN_BYTES	4096
#define OLTP_LAUDO_MAX_BYTES	65536

typedef struct OltpTriagem
{
	const char *prioridade;		/* Manchester colour */
	const char *queixa;
} OltpTriagem;

extern char *oltp_gen_laudo_text(pg_prng_state *rng, const char *tipo_exame);
extern void oltp_gen_triagem(pg_prng_state *rng, OltpTriagem *out);

#endif							/* OLTP_SIM_GEN_TEXT_H */
