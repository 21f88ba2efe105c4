/*-------------------------------------------------------------------------
 *
 * dict_ptbr.h
 *		The pt_BR dictionaries (dict_ptbr.c), read by the generator.
 *
 *-------------------------------------------------------------------------
 */
#ifndef OLTP_SIM_DICT_PTBR_H
#define OLTP_SIM_DICT_PTBR_H

#define OLTP_MAX_DDD	10
#define OLTP_MAX_CITIES 12
#define OLTP_MAX_RESULTS 5

/* a federative unit (UF), the Brazilian state of an address */
typedef struct OltpUf
{
	const char *uf;
	int			ddd[OLTP_MAX_DDD];	/* zero-terminated */
	const char *cities[OLTP_MAX_CITIES];	/* NULL-terminated */
} OltpUf;

typedef struct OltpTipoExame
{
	const char *name;
	const char *results[OLTP_MAX_RESULTS];	/* NULL-terminated */
} OltpTipoExame;

extern const char *const oltp_dict_first_names_female[];
extern const int oltp_dict_n_first_names_female;
extern const char *const oltp_dict_first_names_male[];
extern const int oltp_dict_n_first_names_male;
extern const char *const oltp_dict_surnames[];
extern const int oltp_dict_n_surnames;
extern const OltpUf oltp_dict_ufs[];
extern const int oltp_dict_n_ufs;
extern const char *const oltp_dict_street_kinds[];
extern const int oltp_dict_n_street_kinds;
extern const char *const oltp_dict_street_names[];
extern const int oltp_dict_n_street_names;
extern const char *const oltp_dict_specialties[];
extern const int oltp_dict_n_specialties;
extern const OltpTipoExame oltp_dict_tipos_exame[];
extern const int oltp_dict_n_tipos_exame;
extern const char *const oltp_dict_consult_reasons[];
extern const int oltp_dict_n_consult_reasons;
extern const char *const oltp_dict_admission_reasons[];
extern const int oltp_dict_n_admission_reasons;
extern const char *const oltp_dict_convenio_names[];
extern const int oltp_dict_n_convenio_names;
extern const char *const oltp_dict_convenio_types[];
extern const int oltp_dict_n_convenio_types;
extern const char *const oltp_dict_coverages[];
extern const int oltp_dict_n_coverages;
extern const char *const oltp_dict_plan_tiers[];
extern const int oltp_dict_n_plan_tiers;
extern const char *const oltp_dict_access_roles[];
extern const int oltp_dict_n_access_roles;
extern const char *const oltp_dict_access_actions[];
extern const int oltp_dict_n_access_actions;
extern const char *const oltp_dict_access_resources[];
extern const int oltp_dict_n_access_resources;

#endif							/* OLTP_SIM_DICT_PTBR_H */
