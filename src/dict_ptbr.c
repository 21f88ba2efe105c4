/*-------------------------------------------------------------------------
 *
 * dict_ptbr.c
 *		The Brazilian Portuguese dictionaries the generator draws from:
 *		person names, states with their area codes and cities, street
 *		names, and the hospital vocabularies (specialties, exams, reasons,
 *		insurers).
 *
 * Everything here is static, read-only data; generate.c is its only user.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "dict_ptbr.h"

/*
 * First names, common ones of several generations (Maria and Francisca as
 * well as Valentina and Manuela), so birth dates spread over a century do
 * not all wear this decade's names.  Compound names ("Maria Eduarda") are
 * one entry: Brazilians use them as one name, and CDC sinks meet the space.
 * Accented letters are the point as much as the names: every row carries
 * UTF-8 beyond ASCII, which exposes a sink that mangles encodings.
 */
const char *const oltp_dict_first_names_female[] = {
	"Ana", "Maria", "Beatriz", "Juliana", "Fernanda", "Camila", "Larissa",
	"Mariana", "Gabriela", "Letícia", "Amanda", "Bruna", "Carolina", "Patrícia",
	"Aline", "Vanessa", "Jéssica", "Natália", "Rafaela", "Isabela", "Luana",
	"Sofia", "Alice", "Helena", "Valentina", "Laura", "Manuela", "Júlia",
	"Lorena", "Lívia", "Giovanna", "Maria Eduarda", "Heloísa", "Lara", "Yasmin",
	"Cecília", "Isadora", "Clara", "Melissa", "Esther", "Emanuelly", "Rebeca",
	"Ana Clara", "Ana Luiza", "Maria Clara", "Marina", "Catarina", "Agatha",
	"Pietra", "Elisa", "Luiza", "Vitória", "Stella", "Daniela", "Sarah",
	"Raquel", "Débora", "Priscila", "Tatiane", "Renata", "Simone", "Cláudia",
	"Sandra", "Adriana", "Márcia", "Luciana", "Cristina", "Eliane", "Rosângela",
	"Francisca", "Antônia", "Raimunda", "Josefa", "Teresa", "Sônia", "Fátima",
	"Aparecida", "Lúcia", "Joana", "Olívia", "Bianca", "Milena", "Kamilly",
};
const int	oltp_dict_n_first_names_female = lengthof(oltp_dict_first_names_female);

const char *const oltp_dict_first_names_male[] = {
	"João", "José", "Antônio", "Francisco", "Carlos", "Paulo", "Pedro",
	"Lucas", "Luiz", "Marcos", "Luís", "Gabriel", "Rafael", "Daniel",
	"Marcelo", "Bruno", "Eduardo", "Felipe", "Raimundo", "Rodrigo", "Manoel",
	"Mateus", "André", "Fernando", "Fábio", "Leonardo", "Gustavo", "Guilherme",
	"Leandro", "Tiago", "Anderson", "Ricardo", "Márcio", "Jorge", "Sebastião",
	"Alexandre", "Roberto", "Edson", "Diego", "Vitor", "Sérgio", "Cláudio",
	"Matheus", "Thiago", "Geraldo", "Adriano", "Luciano", "Júlio", "Renato",
	"Alex", "Vinícius", "Rogério", "Samuel", "Ronaldo", "Mário", "Flávio",
	"Douglas", "Igor", "Davi", "Arthur", "Heitor", "Bernardo", "Théo",
	"Miguel", "Enzo", "Lorenzo", "Benjamin", "Nicolas", "Henrique", "Murilo",
	"Caio", "Otávio", "Emanuel", "Joaquim", "Benício", "Cauã", "Vicente",
	"Lorenzo Gabriel", "João Pedro", "João Miguel", "Pedro Henrique", "Luiz Felipe",
};
const int	oltp_dict_n_first_names_male = lengthof(oltp_dict_first_names_male);

/* the most frequent surnames first; generate.c draws one or two */
const char *const oltp_dict_surnames[] = {
	"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves",
	"Pereira", "Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho",
	"Almeida", "Lopes", "Soares", "Fernandes", "Vieira", "Barbosa", "Rocha",
	"Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques", "Machado",
	"Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira",
	"Araújo", "Moura", "Monteiro", "Correia", "Cavalcanti", "Pinto", "Campos",
	"Castro", "Batista", "Barros", "Duarte", "Farias", "Azevedo", "Cunha",
	"Melo", "Rezende", "Porto", "Fogaça", "Peixoto", "Sales", "Pires",
	"Jesus", "Aragão", "Caldeira", "Sampaio", "Brito", "Cirino", "Viana",
	"Borges", "Nogueira", "Moraes", "Siqueira", "Fonseca", "Tavares", "Macedo",
	"Garcia", "Bezerra", "Medeiros", "Guimarães", "Xavier", "Leite", "Coelho",
	"Miranda", "Prado", "Rios", "Queiroz", "Brandão", "Valente", "Franco",
	"Camargo", "Fontes", "Galvão", "Bastos", "Sá", "Lacerda", "Mota",
	"Rangel", "Vasconcelos", "Pacheco", "Guerra", "Dantas", "Aguiar", "Toledo",
	"Cordeiro", "Leal", "Paiva", "Frade", "Montenegro", "Novaes", "da Mata",
	"da Cruz", "da Rosa", "da Conceição", "da Luz", "das Neves",
};
const int	oltp_dict_n_surnames = lengthof(oltp_dict_surnames);

/*
 * States: abbreviation, the area codes (DDD) in use there, and a few of its
 * real cities.  Phone numbers take their area code from the same state as
 * the address they go with.
 */
const OltpUf oltp_dict_ufs[] = {
	{"AC", {68}, {"Rio Branco", "Cruzeiro do Sul", "Sena Madureira"}},
	{"AL", {82}, {"Maceió", "Arapiraca", "Palmeira dos Índios", "Penedo"}},
	{"AP", {96}, {"Macapá", "Santana", "Laranjal do Jari"}},
	{"AM", {92, 97}, {"Manaus", "Parintins", "Itacoatiara", "Manacapuru", "Tefé"}},
	{"BA", {71, 73, 74, 75, 77}, {"Salvador", "Feira de Santana", "Vitória da Conquista", "Camaçari", "Ilhéus", "Juazeiro", "Itabuna"}},
	{"CE", {85, 88}, {"Fortaleza", "Caucaia", "Juazeiro do Norte", "Maracanaú", "Sobral", "Crato"}},
	{"DF", {61}, {"Brasília", "Taguatinga", "Ceilândia", "Gama"}},
	{"ES", {27, 28}, {"Vitória", "Vila Velha", "Serra", "Cariacica", "Cachoeiro de Itapemirim"}},
	{"GO", {62, 64}, {"Goiânia", "Aparecida de Goiânia", "Anápolis", "Rio Verde", "Catalão"}},
	{"MA", {98, 99}, {"São Luís", "Imperatriz", "Caxias", "Timon", "Codó"}},
	{"MT", {65, 66}, {"Cuiabá", "Várzea Grande", "Rondonópolis", "Sinop"}},
	{"MS", {67}, {"Campo Grande", "Dourados", "Três Lagoas", "Corumbá"}},
	{"MG", {31, 32, 33, 34, 35, 37, 38}, {"Belo Horizonte", "Uberlândia", "Contagem", "Juiz de Fora", "Betim", "Montes Claros", "Uberaba", "Governador Valadares"}},
	{"PA", {91, 93, 94}, {"Belém", "Ananindeua", "Santarém", "Marabá", "Castanhal"}},
	{"PB", {83}, {"João Pessoa", "Campina Grande", "Santa Rita", "Patos"}},
	{"PR", {41, 42, 43, 44, 45, 46}, {"Curitiba", "Londrina", "Maringá", "Ponta Grossa", "Cascavel", "Foz do Iguaçu"}},
	{"PE", {81, 87}, {"Recife", "Jaboatão dos Guararapes", "Olinda", "Caruaru", "Petrolina", "Paulista"}},
	{"PI", {86, 89}, {"Teresina", "Parnaíba", "Picos", "Floriano"}},
	{"RJ", {21, 22, 24}, {"Rio de Janeiro", "São Gonçalo", "Duque de Caxias", "Nova Iguaçu", "Niterói", "Campos dos Goytacazes", "Petrópolis", "Volta Redonda"}},
	{"RN", {84}, {"Natal", "Mossoró", "Parnamirim", "Caicó"}},
	{"RS", {51, 53, 54, 55}, {"Porto Alegre", "Caxias do Sul", "Pelotas", "Canoas", "Santa Maria", "Gravataí", "Passo Fundo"}},
	{"RO", {69}, {"Porto Velho", "Ji-Paraná", "Ariquemes", "Vilhena"}},
	{"RR", {95}, {"Boa Vista", "Rorainópolis", "Caracaraí"}},
	{"SC", {47, 48, 49}, {"Florianópolis", "Joinville", "Blumenau", "São José", "Chapecó", "Itajaí", "Criciúma"}},
	{"SP", {11, 12, 13, 14, 15, 16, 17, 18, 19}, {"São Paulo", "Guarulhos", "Campinas", "São Bernardo do Campo", "Santo André", "Osasco", "Ribeirão Preto", "Sorocaba", "Santos", "São José dos Campos"}},
	{"SE", {79}, {"Aracaju", "Nossa Senhora do Socorro", "Lagarto", "Itabaiana"}},
	{"TO", {63}, {"Palmas", "Araguaína", "Gurupi", "Porto Nacional"}},
};
const int	oltp_dict_n_ufs = lengthof(oltp_dict_ufs);

/* repeated entries weight the draw: most addresses are a Rua */
const char *const oltp_dict_street_kinds[] = {
	"Rua", "Rua", "Rua", "Avenida", "Avenida", "Travessa", "Alameda",
};
const int	oltp_dict_n_street_kinds = lengthof(oltp_dict_street_kinds);

/*
 * Names found in cities all over the country (dates, historical figures,
 * states, trees), so any of them fits any city of oltp_dict_ufs.
 */
const char *const oltp_dict_street_names[] = {
	"das Flores", "Sete de Setembro", "XV de Novembro", "Quinze de Novembro",
	"Tiradentes", "Dom Pedro II", "Marechal Deodoro", "Getúlio Vargas",
	"Santos Dumont", "Rui Barbosa", "Barão do Rio Branco", "José Bonifácio",
	"Duque de Caxias", "Floriano Peixoto", "Castro Alves", "Presidente Vargas",
	"Brasil", "Paulista", "Atlântica", "Boa Viagem", "Independência",
	"São João", "Santa Catarina", "Bahia", "Amazonas", "Paraná", "Goiás",
	"Minas Gerais", "dos Andradas", "da Liberdade", "da Consolação",
	"Voluntários da Pátria", "Princesa Isabel", "Joaquim Nabuco",
	"Machado de Assis", "Cecília Meireles", "Carlos Gomes", "Anita Garibaldi",
	"Bento Gonçalves", "Visconde de Mauá", "Oswaldo Cruz", "Vital Brazil",
	"Cândido Portinari", "Monteiro Lobato", "das Palmeiras", "dos Ipês",
	"das Acácias", "do Comércio", "da Matriz", "da Saudade",
};
const int	oltp_dict_n_street_names = lengthof(oltp_dict_street_names);

/* medical specialties (names as Brazilian councils list them) */
const char *const oltp_dict_specialties[] = {
	"Cardiologia", "Clínica Médica", "Pediatria", "Ginecologia e Obstetrícia",
	"Ortopedia e Traumatologia", "Dermatologia", "Neurologia", "Psiquiatria",
	"Oftalmologia", "Otorrinolaringologia", "Endocrinologia", "Gastroenterologia",
	"Urologia", "Nefrologia", "Pneumologia", "Reumatologia", "Oncologia",
	"Infectologia", "Geriatria", "Medicina de Família e Comunidade",
	"Anestesiologia", "Cirurgia Geral", "Hematologia", "Radiologia",
};
const int	oltp_dict_n_specialties = lengthof(oltp_dict_specialties);

/* exam types, each with the results it can have */
const OltpTipoExame oltp_dict_tipos_exame[] = {
	{"Hemograma completo", {"Normal", "Anemia leve", "Leucocitose", "Plaquetopenia leve"}},
	{"Glicemia de jejum", {"Normal (89 mg/dL)", "Alterada (112 mg/dL)", "Diabetes (138 mg/dL)"}},
	{"Colesterol total e frações", {"Dentro dos valores de referência", "LDL elevado", "HDL baixo"}},
	{"Raio-X de tórax", {"Sem alterações", "Opacidade em base direita", "Cardiomegalia discreta"}},
	{"Tomografia de crânio", {"Sem alterações", "Sinusopatia", "Lesão isquêmica antiga"}},
	{"Ultrassom abdominal", {"Sem alterações", "Esteatose hepática leve", "Colelitíase"}},
	{"PCR", {"Negativo", "Elevado (18 mg/L)", "Discretamente elevado (7 mg/L)"}},
	{"ECG", {"Ritmo sinusal normal", "Bloqueio de ramo direito", "Sobrecarga ventricular esquerda"}},
	{"Ecocardiograma", {"Função ventricular preservada", "Disfunção diastólica grau I"}},
	{"Ressonância magnética de joelho", {"Sem alterações", "Lesão meniscal", "Condropatia patelar"}},
	{"Urina tipo 1", {"Normal", "Leucocitúria", "Hematúria discreta"}},
	{"TSH", {"Normal", "Elevado", "Suprimido"}},
	{"Creatinina", {"Normal", "Elevada"}},
	{"Mamografia", {"BI-RADS 1", "BI-RADS 2", "BI-RADS 3"}},
	{"Teste ergométrico", {"Negativo para isquemia", "Inconclusivo"}},
	{"Endoscopia digestiva alta", {"Sem alterações", "Gastrite enantematosa leve", "Esofagite erosiva"}},
};
const int	oltp_dict_n_tipos_exame = lengthof(oltp_dict_tipos_exame);

/* what brings a patient to a consultation, primary care and follow-ups */
const char *const oltp_dict_consult_reasons[] = {
	"Consulta de rotina", "Dor de cabeça", "Dor no peito", "Febre persistente",
	"Dor lombar", "Retorno", "Check-up anual", "Tosse e falta de ar",
	"Dor abdominal", "Acompanhamento de hipertensão", "Acompanhamento de diabetes",
	"Tontura", "Dor nas articulações", "Avaliação pré-operatória",
	"Resultado de exames", "Lesão de pele", "Ansiedade", "Insônia",
	"Pré-natal", "Vacinação", "Alergia", "Dor de garganta",
};
const int	oltp_dict_n_consult_reasons = lengthof(oltp_dict_consult_reasons);

/* what keeps one in hospital: acute cases, surgery, childbirth */
const char *const oltp_dict_admission_reasons[] = {
	"Pneumonia", "Infarto agudo do miocárdio", "Acidente vascular cerebral",
	"Fratura de fêmur", "Apendicite aguda", "Insuficiência cardíaca descompensada",
	"Cirurgia eletiva", "Parto", "Infecção urinária complicada", "Dengue grave",
	"Crise asmática", "Cetoacidose diabética", "Colecistite aguda",
	"Observação pós-trauma", "Desidratação", "Pancreatite aguda",
	"Embolia pulmonar", "Sepse",
};
const int	oltp_dict_n_admission_reasons = lengthof(oltp_dict_admission_reasons);

/*
 * Insurers are named after real operators with a plan tier appended
 * ("Unimed Premium"): realistic, and the tiers give the CNPJ-keyed table
 * more distinct names than operators.
 */
const char *const oltp_dict_convenio_names[] = {
	"Unimed", "Bradesco Saúde", "SulAmérica Saúde", "Amil", "Hapvida",
	"NotreDame Intermédica", "Porto Seguro Saúde", "Golden Cross", "Prevent Senior",
	"Cassi", "Geap Saúde", "Allianz Saúde", "Care Plus", "Mediservice",
	"São Francisco Saúde", "Santa Helena Saúde",
};
const int	oltp_dict_n_convenio_names = lengthof(oltp_dict_convenio_names);

/* the kinds of operator the Brazilian regulator (ANS) distinguishes */
const char *const oltp_dict_convenio_types[] = {
	"Cooperativa médica", "Medicina de grupo", "Seguradora especializada em saúde",
	"Autogestão", "Filantropia",
};
const int	oltp_dict_n_convenio_types = lengthof(oltp_dict_convenio_types);

/* the coverage segments a plan is registered under */
const char *const oltp_dict_coverages[] = {
	"Ambulatorial", "Hospitalar com obstetrícia", "Hospitalar sem obstetrícia",
	"Referência", "Ambulatorial e hospitalar", "Odontológico",
	"Ambulatorial + hospitalar com obstetrícia",
};
const int	oltp_dict_n_coverages = lengthof(oltp_dict_coverages);

const char *const oltp_dict_plan_tiers[] = {
	"Essencial", "Clássico", "Executivo", "Premium", "Nacional", "Regional",
};
const int	oltp_dict_n_plan_tiers = lengthof(oltp_dict_plan_tiers);

/*
 * The access log (set audit): who opens a record (the user's role, the
 * prefix of a hospital login), what they do, and to what part of it
 */
const char *const oltp_dict_access_roles[] = {
	"enf", "med", "tec", "adm", "farm", "recep",
};
const int	oltp_dict_n_access_roles = lengthof(oltp_dict_access_roles);

const char *const oltp_dict_access_actions[] = {
	"visualizar", "imprimir", "exportar", "alterar", "assinar",
};
const int	oltp_dict_n_access_actions = lengthof(oltp_dict_access_actions);

const char *const oltp_dict_access_resources[] = {
	"prontuario", "exame", "laudo", "prescricao", "internacao", "faturamento",
	"sinais vitais", "evolucao de enfermagem",
};
const int	oltp_dict_n_access_resources = lengthof(oltp_dict_access_resources);
