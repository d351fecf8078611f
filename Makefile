# Taizhang build. `make` builds build/taizhang.
#   make test       unit tests (cmocka) + black-box tests
#   make SAN=1 ...  the same under AddressSanitizer + UndefinedBehaviorSanitizer (into build-san/)
#   make fuzz       libFuzzer harnesses (fuzz/, clang) into build-fuzz/, each run FUZZ_SECONDS (60)
PKGS    := sqlite3 libpq jansson xlsxwriter libzip expat lua5.4 libargon2 libmicrohttpd freexl
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
# libunistring (util/text.c) has no pkg-config file
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lunistring -lm
LDFLAGS += $(SANFLAGS)

LIB_SRC := $(sort $(wildcard src/util/*.c src/io/*.c src/ledger/*.c src/store/*.c src/metrics/*.c src/report/*.c src/web/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC:= $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN:= $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS    := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

FUZZ_SRC:= $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN:= $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60

.PHONY: all test unit blackbox clean fuzz fuzz-build
all: $(BUILD)/taizhang

$(BUILD)/taizhang: $(CLI_OBJ) $(BUILD)/libtz.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libtz.a $(LDLIBS)

$(BUILD)/libtz.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(BUILD)/libtz.a $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/fuzz/%: fuzz/%.c fuzz/fuzz_util.h $(BUILD)/libtz.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< $(BUILD)/libtz.a $(LDFLAGS) $(LDLIBS)

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
	rm -rf build build-san build-fuzz

-include $(DEPS)
