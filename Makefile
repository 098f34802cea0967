# perch: the two commands are `make run` and `make test`.
# Meson + Ninja do the building; this file only wires the steps together.

BUILD      ?= build
BUILD_SAN  ?= build-san
BUILD_FUZZ ?= build-fuzz
MESON      ?= meson
PYTHON     ?= /usr/bin/python3
PREFIX     ?= /usr/local
DESTDIR    ?=

.PHONY: all deps build run test lint unit integration sanitize fuzz fuzz-run bench bench-store bench-irc bench-web install uninstall clean

all: build

deps:
	@./scripts/install-deps

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --buildtype=debugoptimized >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null

run: build
	exec $(BUILD)/src/perchd $(ARGS)

$(BUILD_SAN)/build.ninja:
	$(MESON) setup $(BUILD_SAN) --buildtype=debug -Db_sanitize=address,undefined \
	  -Db_lundef=false \
	  '-Dc_args=-fno-sanitize-recover=all -fsanitize=float-cast-overflow' >/dev/null

sanitize: deps $(BUILD_SAN)/build.ninja
	@ninja -C $(BUILD_SAN) >/dev/null

$(BUILD_FUZZ)/build.ninja:
	CC=clang $(MESON) setup $(BUILD_FUZZ) --buildtype=debug -Dfuzz=true \
	  -Db_sanitize=address,undefined -Db_lundef=false >/dev/null

fuzz: deps $(BUILD_FUZZ)/build.ninja
	@ninja -C $(BUILD_FUZZ) >/dev/null

# make fuzz-run SECONDS=N [TARGETS="json url"] [MERGE=1]: each target N seconds, one after
# another; new inputs go to $(BUILD_FUZZ)/fuzz-run/, or minimized into fuzz/corpus/ with MERGE=1.
SECONDS ?= 60
fuzz-run: fuzz
	@$(PYTHON) scripts/fuzz-run --build $(BUILD_FUZZ) --seconds $(SECONDS) \
	  $(if $(TARGETS),--targets "$(TARGETS)") $(if $(filter 1,$(MERGE)),--merge)

lint: deps
	@./scripts/lint

# Lint, the gcc build, then the same suites under ASan+UBSan, then the fuzz corpora.
# The last line is "N passed, N failed".
test: deps lint build sanitize fuzz
	@$(PYTHON) tests/run.py --build $(BUILD) --build $(BUILD_SAN) --fuzz $(BUILD_FUZZ)

unit: build
	@$(PYTHON) tests/run.py --build $(BUILD) --only unit

integration: build
	@$(PYTHON) tests/run.py --build $(BUILD) --only integration

# One table of perchd at the limit (memory per idle client, CPU per event, per request, per
# handshake) beside the floors measured in the same run; medians of RUNS runs (5), a few
# minutes. BASELINE=rev measures that commit too (built in a temporary worktree), side by side;
# REFERENCE=path/to/weechat-headless measures WeeChat's api relay too (README: building one).
bench: build
	@$(PYTHON) bench/perf_table.py --build $(BUILD) $(if $(BASELINE),--baseline $(BASELINE)) \
	  $(if $(REFERENCE),--reference $(REFERENCE)) $(if $(RUNS),--runs $(RUNS)) $(ARGS)

# The SQLite history: insertion, event latency, search, paging and start-up over 1,000,000
# lines (a few minutes); ARGS=--quick for 100,000.
bench-store: build
	@$(PYTHON) bench/store_bench.py --perchd $(BUILD)/src/perchd $(ARGS)
	@ninja -C $(BUILD) bench/store_insert >/dev/null && $(BUILD)/bench/store_insert

# perchd in channels of 10, 1000 and 10,000 nicks, then in 1 and 1000 channels, fed by a
# scripted IRC server: CPU for the NAMES or joins and per event; BASELINE=rev measures that
# commit too.
bench-irc: build
	@$(PYTHON) bench/irc_bench.py --build $(BUILD) $(if $(BASELINE),--baseline $(BASELINE)) \
	  $(if $(RUNS),--runs $(RUNS)) $(ARGS)

# The web client in headless Chromium: login to the buffer list painted with 100 buffers,
# a buffer of 10,000 lines against one of 100 (DOM size, render, scroll frames, JS heap).
bench-web: build
	@$(PYTHON) bench/web_bench.py --perchd $(BUILD)/src/perchd

# perchd, perch, their man pages and the systemd user unit, under $(DESTDIR)$(PREFIX)
# (meson's install list; uninstall removes exactly that list).
install: build
	@$(PYTHON) scripts/install install --build $(BUILD) --prefix $(PREFIX) --destdir "$(DESTDIR)"

uninstall: $(BUILD)/build.ninja
	@$(PYTHON) scripts/install uninstall --build $(BUILD) --prefix $(PREFIX) --destdir "$(DESTDIR)"

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ)
