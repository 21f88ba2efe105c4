# oltp_sim, and its opt-in table sets as extensions of their own (each
# created by oltp_add_tables in oltp_sim's schema)
EXTENSION = oltp_sim oltp_sim_edge_cases oltp_sim_types oltp_sim_audit oltp_sim_partitions oltp_sim_schema_changes
# the version is written once, in the control file
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" oltp_sim.control)

MODULE_big = oltp_sim
OBJS = \
	src/oltp_sim.o \
	src/guc.o \
	src/shmem.o \
	src/launcher.o \
	src/ledger.o \
	src/worker.o \
	src/worker_pacing.o \
	src/worker_report.o \
	src/hold.o \
	src/schedule.o \
	src/xact.o \
	src/op.o \
	src/op_paciente.o \
	src/op_consulta.o \
	src/op_exame.o \
	src/op_internacao.o \
	src/op_laudo.o \
	src/op_triagem.o \
	src/op_types.o \
	src/op_stream.o \
	src/op_message.o \
	src/subxact.o \
	src/dict_ptbr.o \
	src/generate.o \
	src/gen_text.o \
	src/gen_anchor.o \
	src/model.o \
	src/schema.o \
	src/seed.o \
	src/seed_ids.o \
	src/seed_pairs.o \
	src/seed_rows.o \
	src/seed_types.o \
	src/sets.o \
	src/checksum.o \
	src/publication.o \
	src/run.o \
	src/progress.o \
	src/args.o \
	src/functions.o \
	src/privilege.o \
	src/op_log_acesso.o \
	src/announce.o \
	src/op_evento_leito.o \
	src/publication_sql.o \
	src/watermark.o \
	src/op_schema.o

# every install and upgrade script ships
DATA = $(foreach e,$(EXTENSION),$(wildcard sql/$(e)--*.sql))
REGRESS = seed model errors checksum run hot_rows worker worker_settings schedule cdc edge_cases cdc_wal2json cdc_decoderbufs transactions streaming types security hostile upgrade announce partitions schema_changes
# output_plugin_libraries goes only to a server that has the setting (some
# 15.x minors): the others refuse to start with a setting they do not know
REGRESS_OPTS = --temp-instance=./tmp_check --temp-config=test/conf/oltp_sim.conf \
	$(if $(shell $(bindir)/postgres --describe-config 2>/dev/null | grep '^output_plugin_libraries'), \
		--temp-config=test/conf/output_plugins.conf)

PGFILEDESC = "oltp_sim - hospital OLTP simulator for CDC pipelines"

PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers
ifdef WERROR
PG_CFLAGS += -Werror
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS does not track headers: any header change rebuilds every object, so
# no object is ever left with an old layout of a shared-memory struct
$(OBJS): $(wildcard src/*.h)

# the client program (client/, its own PGXS Makefile: a PROGRAM and a
# MODULE_big cannot share one), built and installed with the extension
all: client-all
install: client-install
clean: client-clean
.PHONY: client-all client-install client-clean
client-all:
	$(MAKE) -C client PG_CONFIG=$(PG_CONFIG)
client-install:
	$(MAKE) -C client PG_CONFIG=$(PG_CONFIG) install
client-clean:
	$(MAKE) -C client PG_CONFIG=$(PG_CONFIG) clean

# the version the build installs, for tools/test's agreement check
.PHONY: print-version
print-version:
	@echo $(EXTVERSION)

# everything: build with -Werror, install, pg_regress and pgTAP suites
.PHONY: test
test:
	tools/test
