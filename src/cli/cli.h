/* cli.h - command-line plumbing shared by the commands: options, exit codes.
 *
 * Owns: argument parsing, help text, exit statuses, printing diagnostics.
 * Each command lives in its own cmd_<name>.c and is listed in main.c's table.
 */
#ifndef TZ_CLI_H
#define TZ_CLI_H
#include "store/store.h"
#include "util/buf.h"
#include "util/diag.h"
#include <stddef.h>

/* Exit statuses (documented in README and `taizhang --help`). */
enum {
    TZ_EXIT_OK = 0,    /* success */
    TZ_EXIT_DATA = 1,  /* data refused, or a target/rule failed */
    TZ_EXIT_USAGE = 2, /* wrong command line */
    TZ_EXIT_ENV = 3    /* environment: file cannot be read or written, database error */
};

#define TZ_MAX_ARGS 32

/* One long option of a command; a table of them ends with {NULL}. Write
 * rows with designated initialisers: {.name = "--where", .takes_value = 1}. */
typedef struct tz_opt_spec {
    const char *name; /* "--where" */
    int takes_value;  /* 1 when followed by a value */
    int repeatable;   /* 1 when it may appear several times */
} tz_opt_spec;

typedef struct tz_args {
    const char *pos[TZ_MAX_ARGS]; /* positional arguments */
    size_t npos;                  /* count of positional arguments */
    const char *opt[TZ_MAX_ARGS]; /* option names seen, in order */
    const char *val[TZ_MAX_ARGS]; /* their values (NULL for flags) */
    size_t nopt;                  /* count of options seen */
    int help;                     /* --help or -h given */
} tz_args;

/* Parses argv (after the command name) with getopt_long: options may come
 * before, between or after the positional arguments, "--" ends the options,
 * "--name=value" and "--name value" are the same, -h is --help and -o is
 * --output where the command has it. Long options must be spelled in full.
 * Unknown options are usage errors printed to stderr. Returns 0 or -1. */
int tz_args_parse(int argc, char **argv, const tz_opt_spec *spec, tz_args *a);
/* Value of the last occurrence of an option, or NULL. */
const char *tz_args_get(const tz_args *a, const char *name);
int tz_args_has(const tz_args *a, const char *name);

struct tz_command;
/* How a command is called: its options and positional arguments. */
typedef struct tz_cli_form {
    const tz_opt_spec *opts; /* options, ended by a {NULL} entry; NULL for none */
    size_t npos_min;         /* fewest positional arguments */
    size_t npos_max;         /* most positional arguments */
    const char *npos_msg;    /* usage error when their count is wrong */
    const char *help;        /* --help text after the usage and summary lines, or NULL */
} tz_cli_form;

/* The common start of a command: parses argv by form, prints the --help
 * text or a usage error (naming the option, with the usage line). Returns 1
 * when the command goes on with *a filled in, or 0 when it is done and
 * should return *status (TZ_EXIT_OK after --help, else TZ_EXIT_USAGE). */
int tz_cli_begin(int argc, char **argv, const struct tz_command *self, const tz_cli_form *form,
                 tz_args *a, int *status);
/* tz_cli_begin, then the ledger named by positional argument ledger_pos
 * into *l (tz_cli_ledger). Returns 1 to go on, or 0 with *status. */
int tz_cli_begin_ledger(int argc, char **argv, const struct tz_command *self,
                        const tz_cli_form *form, size_t ledger_pos, tz_args *a, const tz_ledger **l,
                        int *status);

/* Prints usage error text, then the command's usage line; returns TZ_EXIT_USAGE. */
int tz_usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints diagnostics to stderr (errors and warnings). */
void tz_print_diags(const tz_diags *d);
/* The display form of a user-given value for a message (tz_diag_echo: ID
 * numbers masked, invisible characters as <U+XXXX>, at most
 * TZ_DIAG_ECHO_CHARS characters), in buf (always NUL-terminated). Returns
 * buf. */
const char *tz_cli_echo(const char *s, char *buf, size_t sz);
/* Buffer size that holds any tz_cli_echo result. */
#define TZ_CLI_ECHO_SIZE 512

/* Directory holding examples/, templates/ and data/ (the source tree or the
 * installed share dir). */
const char *tz_home_dir(void);

typedef struct tz_command {
    const char *name;    /* command word */
    const char *summary; /* one line, Chinese */
    const char *usage;   /* usage text shown by --help */
    int (*run)(int argc, char **argv, const struct tz_command *self);
} tz_command;

/* ---- shared.c: helpers that print their own message ------------------- */

/* Opens a database (tz_store_open flags); prints why it cannot. Returns an
 * exit status (TZ_EXIT_ENV on failure). */
int tz_cli_open(const char *db, unsigned flags, tz_store **s);
/* The ledger named by id or Chinese name; when there is none, prints a usage
 * error listing every ledger, sets *status and returns NULL. */
const tz_ledger *tz_cli_ledger(const char *name, const char *usage, int *status);

/* Checks that path ends in one of exts (a NULL-ended list, ".xlsx"); else
 * prints the usage error "<what> <path> 的扩展名应为 .xlsx 或 .csv" and
 * returns TZ_EXIT_USAGE. Returns 0 when it does. */
int tz_cli_file_ext(const char *path, const char *const *exts, const char *what, const char *usage);

/* The --where 列=值 options of a command, checked against the ledger. */
typedef struct tz_cli_where {
    tz_filter f[TZ_MAX_ARGS];     /* the filters; column points into names */
    char names[TZ_MAX_ARGS][256]; /* column names as given */
    size_t n;                     /* number of filters */
} tz_cli_where;
/* Collects and checks the --where options. Returns 0, or prints a usage
 * error naming the column or value and returns TZ_EXIT_USAGE. */
int tz_cli_filters(const tz_args *a, const tz_ledger *l, tz_cli_where *w, const char *usage);

/* Draws a progress bar on stderr, over the one before it:
 * "<label> [#########.....................]  30%<tail>", a newline after it
 * when last. */
void tz_cli_bar(const char *label, int pct, const char *tail, int last);

struct json_t;
/* Prints a JSON value to stdout as tz_view_dump writes it (indented, keys in
 * the order set, a newline after). */
void tz_cli_jprint(const struct json_t *o);

/* ---- cmd_ledger.c ---------------------------------------------------------- */

/* Imports one ledger file and prints the outcome: text (what each sheet
 * was read as, and the summary, unless quiet), or with json the
 * tz_view_import object on stdout; errors on stderr either way. within: the
 * 12-digit region names in the file are looked up in, or NULL. Returns an
 * exit status. */
int tz_cli_import_one(struct tz_store *s, const struct tz_ledger *l, const char *path,
                      const char *within, int dry_run, int quiet, int json);
/* Rebuilds the indicator summaries after writes, so the next check is fast;
 * a failure only delays that to the first read. */
void tz_cli_refresh(struct tz_store *s, int quiet);

/* ---- the commands, one file each (cmd_<name>.c), listed in main.c -------- */
int tz_cmd_init(int argc, char **argv, const tz_command *self);
int tz_cmd_import(int argc, char **argv, const tz_command *self);
int tz_cmd_export(int argc, char **argv, const tz_command *self);
int tz_cmd_template(int argc, char **argv, const tz_command *self);
int tz_cmd_list(int argc, char **argv, const tz_command *self);
int tz_cmd_demo(int argc, char **argv, const tz_command *self);
int tz_cmd_gen(int argc, char **argv, const tz_command *self);
int tz_cmd_ledgers(int argc, char **argv, const tz_command *self);
int tz_cmd_check(int argc, char **argv, const tz_command *self);
int tz_cmd_indicator(int argc, char **argv, const tz_command *self);
int tz_cmd_indicators(int argc, char **argv, const tz_command *self);
int tz_cmd_report(int argc, char **argv, const tz_command *self);
int tz_cmd_proofread(int argc, char **argv, const tz_command *self);
int tz_cmd_backup(int argc, char **argv, const tz_command *self);
int tz_cmd_restore(int argc, char **argv, const tz_command *self);
int tz_cmd_copy(int argc, char **argv, const tz_command *self);
int tz_cmd_user(int argc, char **argv, const tz_command *self);
int tz_cmd_serve(int argc, char **argv, const tz_command *self);
int tz_cmd_deadline(int argc, char **argv, const tz_command *self);

#endif
