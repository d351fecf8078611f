# Taizhang build. `make` builds build/taizhang.
#   make test       unit tests (cmocka) + black-box tests
#   make SAN=1 ...  the same under AddressSanitizer + UndefinedBehaviorSanitizer (into build-san/)
#   make fuzz       libFuzzer harnesses (fuzz/, clang) into build-fuzz/, each run FUZZ_SECONDS (60)
#   make web        only the front end: web/dist (npm ci when needed, vite build)
# The web app (web/, Vue 3 + Vite) is built when its sources change and
# embedded in the binary (web/embed.mjs: gzip, into $(BUILD)/gen/); every
# build variant (SAN=1, FUZZ=1) embeds the same web/dist. WEB_DIST=DIR
# embeds a front end built elsewhere instead (no npm needed, only node).
PKGS    := sqlite3 libpq jansson xlsxwriter libzip expat lua5.4 libargon2 libmicrohttpd freexl zlib libxml-2.0 nettle
CC      ?= cc
ifeq ($(FUZZ),1)
# The fuzz build (make fuzz): the library under clang with libFuzzer's
# coverage hooks, ASan and UBSan; fuzz/*.c link it with -fsanitize=fuzzer.
CC      := clang
BUILD   := build-fuzz
SANFLAGS:= -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1 -g
else ifeq ($(SAN),1)
BUILD   := build-san
SANFLAGS:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1 -g
else
BUILD   := build
SANFLAGS:=
OPT     := -O2 -g
endif
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
           -Isrc $(SANFLAGS) $(shell pkg-config --cflags $(PKGS)) -DTZ_VERSION='"$(VERSION)"'
# libunistring (util/text.c) has no pkg-config file. libpq, libxml2 and
# libmicrohttpd are not linked: they are loaded at their first use
# (util/lazylib.h), so a command that needs none of them does not load the
# 27 libraries they pull in.
LAZY_PKGS := libpq libxml-2.0 libmicrohttpd libzip xlsxwriter
LDLIBS  += $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS))) -lunistring -lm
# unit tests may call libpq themselves (to set a PostgreSQL database up)
TEST_LDLIBS := $(shell pkg-config --libs $(LAZY_PKGS))
LDFLAGS += $(SANFLAGS)

LIB_SRC := $(sort $(wildcard src/util/*.c src/io/*.c src/ledger/*.c src/store/*.c src/metrics/*.c src/report/*.c src/web/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/web_assets.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC:= $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN:= $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS    := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# The front end's sources: a change to any of them rebuilds web/dist.
WEB_SRC := $(wildcard web/index.html web/package.json web/package-lock.json web/vite.config.*) \
           $(shell find web/src web/public -type f 2>/dev/null)
WEB_NPM := web/node_modules/.tz-installed
WEB_STAMP := web/dist/.tz-built
ifdef WEB_DIST
WEB_READY := $(shell find $(WEB_DIST) -type f 2>/dev/null)
else
WEB_DIST := web/dist
WEB_READY := $(WEB_STAMP)
endif
NO_NPM  := 找不到 npm: 先运行 scripts/deps.sh (npm not found: run scripts/deps.sh first)
NO_NODE := 找不到 node: 先运行 scripts/deps.sh (node not found: run scripts/deps.sh first)

FUZZ_SRC:= $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN:= $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60

.PHONY: all test unit blackbox clean fuzz fuzz-build web FORCE
all: $(BUILD)/taizhang

$(BUILD)/taizhang: $(CLI_OBJ) $(BUILD)/libtz.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libtz.a $(LDLIBS)

$(BUILD)/libtz.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# ---- the web app --------------------------------------------------------------
# npm ci when web/node_modules is missing or older than the lock file;
# vite build when a source changed; then the asset table. Each step runs
# only when its inputs changed: the marks are web/node_modules/.tz-installed
# (npm ci empties node_modules) and web/dist/.tz-built (vite empties dist).
web: $(WEB_READY)

$(WEB_NPM): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "$(NO_NPM)" >&2; exit 3; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_STAMP): $(WEB_SRC) $(WEB_NPM)
	@command -v npm >/dev/null || { echo "$(NO_NPM)" >&2; exit 3; }
	cd web && npm run build
	touch $@

# Which dist was embedded last: rewritten only when WEB_DIST changes, so
# switching between web/dist and another one regenerates the table.
$(BUILD)/gen/web_dist: FORCE
	@mkdir -p $(dir $@)
	@echo '$(WEB_DIST)' | cmp -s - $@ || echo '$(WEB_DIST)' > $@

$(BUILD)/gen/web_assets.c: $(WEB_READY) $(BUILD)/gen/web_dist web/embed.mjs
	@command -v node >/dev/null || { echo "$(NO_NODE)" >&2; exit 3; }
	node web/embed.mjs $(WEB_DIST) $(BUILD)/gen

# web_assets.c pulls $(BUILD)/gen/web_assets.bin in with .incbin (written
# together with it), from this directory
$(BUILD)/obj/gen/web_assets.o: $(BUILD)/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(BUILD)/libtz.a $(LDFLAGS) $(LDLIBS) $(TEST_LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/fuzz/%: fuzz/%.c fuzz/fuzz_util.h $(BUILD)/libtz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< $(BUILD)/libtz.a $(LDFLAGS) $(LDLIBS) $(TEST_LDLIBS)

unit: $(TEST_BIN) $(BUILD)/taizhang
test: unit
	BUILD=$(BUILD) bash tests/run.sh

# Builds the harnesses (FUZZ=1: clang, into build-fuzz/), then runs each one.
fuzz:
	$(MAKE) FUZZ=1 fuzz-build
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

ifeq ($(FUZZ),1)
fuzz-build: $(FUZZ_BIN)
else
fuzz-build:
	$(MAKE) FUZZ=1 fuzz-build
endif

clean:
	rm -rf build build-san build-fuzz web/dist

-include $(DEPS)
