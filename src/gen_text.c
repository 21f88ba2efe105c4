/*-------------------------------------------------------------------------
 *
 * gen_text.c
 *		The long texts and queue entries of the edge_cases set: an exam
 *		report of 4 to 64 kB in pt_BR, and a patient's arrival at triage.
 *
 * A report is a heading naming the exam, then sections of sentences drawn
 * from short phrase lists, until the length drawn for it; it is cut at a
 * character boundary, so the text stays valid UTF-8.  The length, not the
 * wording, is what matters to a CDC pipeline: the value is stored out of
 * line, and a consumer sees it whole, or as a placeholder when an update
 * leaves it unchanged.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "gen_text.h"

static const char *const text_sections[] = {
	"INDICAÇÃO CLÍNICA", "TÉCNICA", "ACHADOS", "ANÁLISE", "IMPRESSÃO DIAGNÓSTICA",
	"CONCLUSÃO", "RECOMENDAÇÕES", "OBSERVAÇÕES",
};

static const char *const text_subjects[] = {
	"O exame", "A avaliação", "O estudo comparativo", "A análise laboratorial",
	"O parênquima", "A estrutura examinada", "O contorno", "A amostra colhida",
	"O padrão observado", "A morfologia", "O resultado", "A série histórica",
};

static const char *const text_verbs[] = {
	"demonstra", "evidencia", "não revela", "sugere", "mantém", "apresenta",
	"indica", "confirma", "é compatível com", "não afasta",
};

static const char *const text_objects[] = {
	"alterações significativas em relação ao exame anterior",
	"valores dentro dos limites de referência para a idade e o sexo",
	"discreta elevação sem repercussão clínica aparente",
	"aspecto habitual, sem sinais de processo inflamatório agudo",
	"padrão preservado, com simetria entre os segmentos avaliados",
	"achado inespecífico que merece correlação com a clínica",
	"evolução favorável desde a última avaliação",
	"ausência de coleções, massas ou calcificações",
	"leve redução em comparação com a coleta prévia",
	"distribuição homogênea, sem áreas de atenuação anormal",
};

static const char *const text_closings[] = {
	"Recomenda-se correlação clínica e laboratorial.",
	"Sugere-se controle evolutivo em seis meses.",
	"Resultado liberado após revisão técnica.",
	"Comparado com o exame de referência do próprio paciente.",
	"Amostra processada dentro do prazo de estabilidade.",
	"Não há indicação de repetir o exame neste momento.",
};

static const char *const triagem_prioridades[] = {
	"vermelho", "laranja", "amarelo", "verde", "azul",
};

/* how often each colour arrives, per thousand: most are not urgent */
static const int triagem_shares[] = {20, 100, 280, 450, 150};

static const char *const triagem_queixas[] = {
	"Dor torácica há duas horas", "Febre persistente há três dias",
	"Falta de ar ao esforço", "Dor abdominal intensa", "Cefaleia súbita",
	"Corte no antebraço", "Queda da própria altura", "Vômitos e diarreia",
	"Tontura e fraqueza", "Dor lombar irradiada", "Reação alérgica na pele",
	"Pressão alta em aferição domiciliar", "Tosse com secreção",
	"Entorse de tornozelo", "Crise de ansiedade", "Dor de ouvido",
};

#define pick(rng, arr) \
	((arr)[pg_prng_uint64_range((rng), 0, lengthof(arr) - 1)])

/*
 * A report on exam tipo_exame, of a length drawn between
 * OLTP_LAUDO_MIN_BYTES and OLTP_LAUDO_MAX_BYTES, palloc'd.
 */
char *
oltp_gen_laudo_text(pg_prng_state *rng, const char *tipo_exame)
{
	int			target = (int) pg_prng_uint64_range(rng, OLTP_LAUDO_MIN_BYTES,
													OLTP_LAUDO_MAX_BYTES);
	StringInfoData buf;
	int			len;

	initStringInfo(&buf);
	enlargeStringInfo(&buf, target + 512);
	appendStringInfo(&buf, "LAUDO%s%s\n\n", tipo_exame ? " DE " : "", tipo_exame ? tipo_exame : "");
	while (buf.len < target)
	{
		int			sentences = (int) pg_prng_uint64_range(rng, 3, 8);

		appendStringInfo(&buf, "%s\n", pick(rng, text_sections));
		for (int i = 0; i < sentences; i++)
			appendStringInfo(&buf, "%s %s %s. ", pick(rng, text_subjects),
							 pick(rng, text_verbs), pick(rng, text_objects));
		appendStringInfo(&buf, "%s\n\n", pick(rng, text_closings));
	}
	/* cut to the length drawn, never inside a multibyte character */
	len = target;
	while (len > 0 && (buf.data[len] & 0xC0) == 0x80)
		len--;
	buf.data[len] = '\0';
	buf.len = len;
	return buf.data;
}

/* a patient's arrival at triage: a colour and a complaint */
void
oltp_gen_triagem(pg_prng_state *rng, OltpTriagem *out)
{
	int			r = (int) pg_prng_uint64_range(rng, 0, 999);
	int			i = 0;

	while (i < lengthof(triagem_shares) - 1 && r >= triagem_shares[i])
		r -= triagem_shares[i++];
	out->prioridade = triagem_prioridades[i];
	out->queixa = pick(rng, triagem_queixas);
}
