/* ledger.h - the twelve 台账 (ledgers): definitions and row validation.
 *
 * Owns: the one table that defines every ledger (id, Chinese name, columns,
 * types, enums, keys, references and cross-field checks), header matching
 * (header names as people write them: header.c, data/header_synonyms.tsv),
 * and turning one row of raw cells into canonical values with Chinese
 * diagnostics (values as people write them: aliases.c,
 * data/value_aliases.tsv), counting what was reinterpreted (notes.c).
 * Adding a column or a check means editing defs.c only.
 *
 * Does not own: reading files (io/), reference lookups against stored rows
 * and writing (store/; names for codes come in through tz_name_resolve_fn),
 * indicators (metrics/).
 */
#ifndef TZ_LEDGER_H
#define TZ_LEDGER_H
#include "util/arena.h"
#include "util/diag.h"
#include <stddef.h>

typedef enum tz_coltype {
    TZ_COL_TEXT,    /* free text, trimmed */
    TZ_COL_INT,     /* whole number */
    TZ_COL_DECIMAL, /* number with decimals (amounts in the header's unit) */
    TZ_COL_BOOL,    /* 是/否, stored as 1/0 */
    TZ_COL_DATE,    /* YYYY-MM-DD; also 2019/6/1, 2019年6月1日, xlsx serials */
    TZ_COL_MONTH,   /* YYYY-MM; also 2015/7, 2015年7月 */
    TZ_COL_YEAR,    /* four-digit year; also 2019年 */
    TZ_COL_REGION,  /* 12-digit 统计用区划代码; 6 or 9 digits are right-padded */
    TZ_COL_ENUM,    /* exactly one of the listed words */
    TZ_COL_IDCARD,  /* 18-character 身份证号 with GB 11643 check digit */
    TZ_COL_LIST     /* several values joined by 、 */
} tz_coltype;

enum {
    TZ_F_REQUIRED = 1 << 0, /* must not be empty */
    TZ_F_KEY = 1 << 1,      /* part of the ledger key (implies required) */
    TZ_F_UNIQUE = 1 << 2,   /* unique across the whole database */
    TZ_F_PARENT = 1 << 3,   /* a region's parent: its level must be one above the row's level */
    TZ_F_POSITIVE = 1 << 4, /* a number that must be at least 1 */
    TZ_F_INFILE = 1 << 5,   /* a column of every file of the ledger: a file without it is
                               refused; any other column may be absent (its values then
                               are null: "not recorded") */
    TZ_F_INDEXED = 1 << 6   /* looked up by value (a secondary index): 户主姓名, whose rows
                               (with the birth date in 身份证号) the duplicate-person rule
                               re-reads when a village changes */
};

/* Levels of the region tree, top down. */
typedef enum tz_level {
    TZ_LEVEL_NONE = -1,
    TZ_LEVEL_PROVINCE = 0, /* 省 */
    TZ_LEVEL_CITY = 1,     /* 市 */
    TZ_LEVEL_COUNTY = 2,   /* 县 */
    TZ_LEVEL_TOWNSHIP = 3, /* 乡 */
    TZ_LEVEL_VILLAGE = 4   /* 村 */
} tz_level;

typedef struct tz_column {
    const char *name;           /* Chinese header, exactly as in the contract */
    const char *sql;            /* ASCII column name in the database */
    tz_coltype type;            /* value type */
    unsigned flags;             /* TZ_F_* */
    const char *const *choices; /* NULL-terminated enum words, or NULL */
    const char *ref;            /* ledger id this column references, or NULL */
    const char *ref_level;      /* required level word of a referenced region ("村"), or NULL */
    const char *only_if;        /* "层级=村": may be filled only when that holds, or NULL */
    const char *required_if; /* "阶段=落地|投产": must be filled when that holds, or NULL */
    const char *note;        /* fill-in note for templates */
    int width;               /* display width hint for spreadsheets */
    const char *index_with;  /* TZ_F_INDEXED: a second column (sql name) the index carries,
                                so that a condition on it is answered from the index */
    double min;              /* INT/DECIMAL/YEAR: smallest value accepted (with max) */
    double max;              /* INT/DECIMAL/YEAR: largest value accepted; both 0: none */
} tz_column;

typedef enum tz_cmp { TZ_CMP_LE, TZ_CMP_GE } tz_cmp;

/* A check between two columns of one row, skipped when either is empty. */
typedef struct tz_rowcheck {
    const char *left;   /* column name */
    tz_cmp op;          /* left op right must hold */
    const char *right;  /* column name */
    const char *reason; /* Chinese reason when it fails */
} tz_rowcheck;

/* Where a row of a ledger belongs, for scoped access (accounts) and for
 * 上报审核 locks: the value is in the row's own column `col` (via == NULL),
 * or in column `via_col` of the row of ledger `via` that `col` references
 * (by that ledger's single-column key). col == NULL: the ledger has none. */
typedef struct tz_row_link {
    const char *col;     /* this ledger's column (Chinese header), or NULL */
    const char *via;     /* ledger id that col references, or NULL */
    const char *via_col; /* column of that ledger holding the value (Chinese header) */
} tz_row_link;

typedef struct tz_ledger {
    const char *id;            /* ASCII id, also the table name */
    const char *name;          /* Chinese name */
    const tz_column *cols;     /* columns in export order */
    size_t ncols;              /* number of columns */
    const tz_rowcheck *checks; /* cross-column checks */
    size_t nchecks;            /* number of checks */
    const char *order_by;      /* SQL ORDER BY for stable listing and export */
    tz_row_link region;        /* the row's 12-digit region code (scope by region) */
    tz_row_link unit;       /* the row's 责任单位/帮扶单位 name (scope by unit), or none */
    const char *period_col; /* column dating the row for 上报审核 locks, or NULL: never locked */
    int shared_read;        /* 1: reference data every account may read (regions, units) */
} tz_ledger;

/* All ledgers, in import order (referenced ledgers first). */
const tz_ledger *tz_ledger_all(size_t *n);
/* Finds a ledger by id or Chinese name; NULL when unknown. */
const tz_ledger *tz_ledger_find(const char *id_or_name);
/* Index of a column by Chinese header or SQL name, or -1. */
int tz_ledger_col(const tz_ledger *l, const char *name);
/* Number of key columns and their indexes (up to 4). */
size_t tz_ledger_keys(const tz_ledger *l, int idx[4]);
/* Level word (省/市/县/乡/村) to enum, and back. */
tz_level tz_level_parse(const char *word);
const char *tz_level_word(tz_level lv);
/* Leading digits of a 12-digit 统计用区划代码 shared by every region under
 * one of level lv: 省 2, 市 4, 县 6, 乡 9, 村 (and anything else) 12. */
int tz_level_digits(tz_level lv);
/* The same read off a code's trailing zeros ("411628000000": 6), for a code
 * whose level is not stored. */
int tz_code_digits(const char *code);
/* The 12-character bounds of the codes under a region: the first digits
 * characters of code (fewer when code is shorter) followed by 0s (lo) and
 * by 9s (hi). Either may be NULL. The tails alone, for SQL that pads a
 * prefix: tz_code_bounds("", 0, lo, hi), then lo + digits and hi + digits. */
void tz_code_bounds(const char *code, int digits, char lo[13], char hi[13]);

/* ---- notes: values reinterpreted, counted for the import's result ---- */

typedef enum tz_note_kind {
    TZ_NOTE_ALIAS = 0,     /* a value alias applied (因病致贫 → 因病) */
    TZ_NOTE_NAME = 1,      /* a name resolved to a code or a unit's full name */
    TZ_NOTE_MONTH_DAY = 2, /* a month given for a date: the first of the month */
    TZ_NOTE_KINDS = 3
} tz_note_kind;

typedef struct tz_note {
    tz_note_kind kind; /* what was done */
    int col;           /* ledger column index */
    char *from, *to;   /* the text as written, and what it became */
    size_t count;      /* rows it applied to */
    long first_row;    /* the first of them */
} tz_note;

typedef struct tz_notes tz_notes; /* opaque; hashed by (kind, col, from) */

/* An empty set of notes; NULL when out of memory. */
tz_notes *tz_notes_new(void);
/* Counts one application of (kind, col, from → to) in row rowno: the first
 * one adds a note (with `to` and first_row), the next ones count. O(1).
 * Returns 0, or -1 when out of memory. */
int tz_notes_add(tz_notes *ns, tz_note_kind kind, int col, const char *from, const char *to,
                 long rowno);
size_t tz_notes_count(const tz_notes *ns);
/* The i-th note in order of first use; valid until the next tz_notes_add. */
const tz_note *tz_notes_at(const tz_notes *ns, size_t i);
void tz_notes_free(tz_notes *ns); /* safe on NULL */

/* ---- header names --------------------------------------------------------- */

/* The normalised form of a header cell: NFKC (full-width letters, digits
 * and brackets become ASCII: （元） is (元)), then every kind of whitespace
 * (ASCII blanks, line breaks, U+3000, no-break and other Unicode spaces)
 * and every zero-width character removed. Returns a malloc'd string, or
 * NULL when out of memory. Every contract header is its own normal form. */
char *tz_header_norm(const char *cell);

/* How a header cell matched a ledger column (tz_header_map.how). */
typedef enum tz_header_how {
    TZ_HOW_EXACT = 0,  /* the contract name, blanks at the ends aside */
    TZ_HOW_NORM = 1,   /* the contract name after tz_header_norm */
    TZ_HOW_SYNONYM = 2 /* through data/header_synonyms.tsv */
} tz_header_how;

/* The ledger column a header cell names, by its normalised form or through
 * data/header_synonyms.tsv; -1 when none (or when the synonyms cannot be
 * loaded: tz_header_match reports that). */
int tz_header_col(const tz_ledger *l, const char *cell);
/* The same, with how it matched in *how (may be NULL). */
int tz_header_col_how(const tz_ledger *l, const char *cell, tz_header_how *how);
/* tz_header_col for a cell already through tz_header_norm (h). */
int tz_header_col_normed(const tz_ledger *l, const char *h);

/* Replaces the header synonyms by those of the file at path (lines
 * "台账id或*<TAB>写法<TAB>标准列名"). Without a call, data/header_synonyms.tsv
 * is loaded on first use (tz_datafile_find). Returns 0, or -1 with a diag
 * per refused line (the table in place is kept). Thread-safe. */
int tz_header_synonyms_load(const char *path, tz_diags *d);

/* Replaces the value aliases by those of the file at path (lines
 * "列名或*<TAB>写法<TAB>标准值"), as tz_header_synonyms_load; the default is
 * data/value_aliases.tsv. */
int tz_value_aliases_load(const char *path, tz_diags *d);

/* Resolves a name written where column col of l takes a code or another
 * ledger's key. Returns 0 with the replacement written to out (NUL-terminated,
 * at most outsz bytes), 1 to keep raw as it is, or -1 refused with a Chinese
 * reason in *why (valid until the next call). */
typedef int (*tz_name_resolve_fn)(void *ctx, const tz_ledger *l, int col, const char *raw,
                                  char *out, size_t outsz, const char **why);

/* Maps file columns to ledger columns, from the header row.
 * map[i] = file column of ledger column i, or -1 (the file has no such
 * column: allowed unless the column is TZ_F_INFILE). */
typedef struct tz_header_map {
    int *map;     /* per ledger column: index in the file row, or -1 */
    size_t ncols; /* ledger column count */
    /* set by the caller after tz_header_match; zero = not used */
    tz_notes *notes;            /* where tz_row_validate counts notes, or NULL */
    tz_name_resolve_fn resolve; /* names for codes and keys, or NULL */
    void *resolve_ctx;          /* resolve's ctx */
    /* set by tz_header_match */
    unsigned char *how; /* per ledger column: tz_header_how of its file column (when
                           map[i] >= 0), or NULL (every column exact) */
} tz_header_map;

/* Builds the map from a header row (row 1 of file). A missing TZ_F_INFILE
 * column is an error; a missing other column is not (map[i] = -1; the
 * caller reports absent columns). A header cell names a column exactly,
 * after tz_header_norm, or through a synonym (tz_header_col_how); a cell
 * matched in either of the last two ways is reported with a warning, and
 * how[] says which. Two cells naming one column: an exact one wins over a
 * normalised or synonym one (the other is ignored, with a warning);
 * otherwise "列名重复". Cells naming no column are ignored with a warning.
 * Sets notes, resolve and resolve_ctx to zero. Returns 0 or -1. */
int tz_header_match(const tz_ledger *l, const char *const *cells, size_t n, const char *file,
                    tz_header_map *out, tz_diags *d);
/* The same for a header found in row `rowno` of the sheet (diagnostics
 * name that row). */
int tz_header_match_at(const tz_ledger *l, const char *const *cells, size_t n, const char *file,
                       long rowno, tz_header_map *out, tz_diags *d);
void tz_header_map_free(tz_header_map *m); /* frees map and how; safe on NULL */

/* One canonical value. */
typedef struct tz_value {
    int null;    /* 1 when empty */
    int lent;    /* 1 when text lives in a tz_arena (tz_row_validate_in): never freed alone */
    char *text;  /* canonical text (dates ISO, codes 12 digits, bools 是/否), or NULL */
    long long i; /* integer value for INT/YEAR/BOOL(1/0) */
    double d;    /* numeric value for DECIMAL (and INT) */
} tz_value;

/* How the rows of a file were read (tz_row_validate's flags). */
enum {
    TZ_ROW_DATE1904 = 1 << 0, /* numeric date serials count from 1904-01-01 (xlsx date1904) */
    TZ_ROW_CSV = 1 << 1       /* a CSV file: a ' before = + - @ TAB CR is the export's guard */
};
/* The flags for a row of the file at path (CSV by its extension, as the
 * reader decides) read with the given date1904 flag. */
unsigned tz_row_flags(const char *path, int date1904);

/* Converts raw cells (as mapped) into canonical values, running every
 * single-row check (cell kinds, Excel error values, invisible characters,
 * types, ranges, enums, ID numbers, only_if, required_if, row checks).
 * kinds holds a tz_cell_kind per cell (io/reader.h), or is NULL for all
 * text; flags are TZ_ROW_*. vals must have l->ncols slots; their text is
 * owned by the caller after the call (free with tz_values_clear). Returns
 * the number of errors added for this row (0 when the row is good);
 * warnings (characters trimmed or replaced) are added to d but not counted.
 *
 * Invisible characters: BOM and zero-width characters (U+200B..U+200D,
 * U+2060, U+FEFF) at either end of any cell are trimmed with a warning. In
 * identifier columns (keys, unique columns, references, and every column
 * that is not free text) any control or invisible character left inside
 * refuses the cell. In free text, control characters (and bidirectional
 * controls) are replaced, TAB/CR/LF by a space and the rest by U+FFFD,
 * with a warning.
 *
 * A column the file does not have (m->map[i] == -1) is null, with no
 * error; required_if, only_if and the row checks skip it.
 *
 * Values as people write them (each counted in m->notes when set):
 * - an ENUM, BOOL or LIST element that is not allowed as written is read
 *   in its NFKC form, then through data/value_aliases.tsv (TZ_NOTE_ALIAS:
 *   因病致贫 → 因病, √ → 是); a value still refused lists the allowed ones;
 * - a DATE cell "2019年6月" is the first of the month (TZ_NOTE_MONTH_DAY);
 *   "20190601", as text or as a number cell, is 2019-06-01 (never an Excel
 *   serial); a two-digit year ("18.1.12") is refused with the reason;
 * - with m->resolve set, a TZ_COL_REGION cell that is not all digits
 *   (ASCII or full-width), and any non-empty cell of a column with c->ref,
 *   is given to the resolver: 0 replaces it (TZ_NOTE_NAME), 1 keeps it,
 *   -1 is the cell's error with the resolver's reason.
 * An IDCARD cell stored as a number is refused ("该列在Excel中是数字格式,…"):
 * its last three digits are lost. */
int tz_row_validate(const tz_ledger *l, const tz_header_map *m, const char *const *cells,
                    const unsigned char *kinds, size_t ncells, const char *file, long rowno,
                    unsigned flags, tz_value *vals, tz_diags *d);
/* The same, with the values' texts copied into texts (marked lent: they
 * go with tz_arena_reset, and tz_values_clear leaves them). A batch of rows
 * validated this way costs no malloc or free per cell. Both overwrite vals
 * without freeing what they held: clear them first (tz_values_clear). */
int tz_row_validate_in(const tz_ledger *l, const tz_header_map *m, const char *const *cells,
                       const unsigned char *kinds, size_t ncells, const char *file, long rowno,
                       unsigned flags, tz_value *vals, tz_arena *texts, tz_diags *d);
/* Empties the value (null, no text), freeing its text unless lent. */
void tz_value_unset(tz_value *v);
/* tz_value_unset of each of the n values. */
void tz_values_clear(tz_value *vals, size_t n);
/* Parses one raw value for column c (trimmed; empty gives null), typed by
 * hand or given on a command line (numeric: it came from a number cell).
 * Returns 0, or -1 with a Chinese reason in *why (valid until the next call
 * in the same thread). The caller frees out->text. */
int tz_value_parse(const tz_column *c, const char *raw, int numeric, tz_value *out,
                   const char **why);

/* The GB 11643 check character ('0'-'9' or 'X') of 17 ASCII digits. */
char tz_idcard_check(const char *s17);
/* Field parsers, exposed for tests and for other modules' inputs.
 * Each returns 0 and writes the canonical form, or -1 with a Chinese reason
 * in *why (a static string). numeric: s is a number cell's text, read as an
 * Excel date serial (counted from 1904-01-01 when date1904). */
int tz_parse_date(const char *s, int numeric, int date1904, char out[11], const char **why);
int tz_parse_month(const char *s, int numeric, int date1904, char out[8], const char **why);
int tz_parse_region(const char *s, char out[13], const char **why);
int tz_parse_idcard(const char *s, char out[19], const char **why);

/* Writes the masked form of an ID number for display (个人信息保护法):
 * the first 6 and last 4 characters kept, the rest '*'
 * ("411628********123X"). Anything shorter than 11 bytes, or not ASCII,
 * becomes all '*' of its length, capped. out holds at most outsz-1 bytes
 * and is always NUL-terminated. */
void tz_idcard_mask(const char *s, char *out, size_t outsz);
/* Numbers as a person types them: an optional sign (+ -), digits, at most
 * one decimal point, thousands separators only in groups of three
 * ("12,345.6"); full-width digits, signs, point and comma are read as ASCII.
 * Refused, each with its reason: "3,5", "1,0.5", "0x1F", "3e0", "inf",
 * "nan", a sign without digits, anything before or after the number.
 * tz_parse_int also refuses a decimal point ("3.0") and values past
 * +-9e15. */
int tz_parse_decimal(const char *s, double *out, const char **why);
int tz_parse_int(const char *s, long long *out, const char **why);

/* ---- the national system's person-level export (national.c) ---------------
 * 全国扶贫开发信息系统's 贫困人口 export: a title row, then one row per family
 * member (户编号, 人编号, 姓名, 证件号码, 人数, 与户主关系, ...), turned into
 * households rows (docs/import.md, 全国系统导出的人员名单). Pure: no database. */
typedef struct tz_national tz_national;
/* 1 when this header row is the national system's person-level household
 * export (户编号, 人编号, 与户主关系, 证件号码, ...), else 0. */
int tz_national_detect(const char *const *cells, size_t n);
/* Starts collecting persons under that header. Returns 0, or -1 with a diag. */
int tz_national_begin(const char *const *hdr, size_t n, const char *file, tz_national **out,
                      tz_diags *d);
/* Adds one person row (cells as read, kinds as io/reader.h's tz_cell_kind or NULL).
 * Returns 0, or -1 with an error naming file and row. */
int tz_national_add(tz_national *nx, const char *const *cells, const unsigned char *kinds, size_t n,
                    long rowno, tz_diags *d);
/* After the last person: the households, each a row of cells in the households
 * ledger's contract column order (a "" cell for a column the export does not carry)
 * with the file row of its 户主. The header those cells follow is
 * tz_national_header (contract names; NULL entries for columns not carried). */
size_t tz_national_count(const tz_national *nx);
const char *const *tz_national_row(const tz_national *nx, size_t i, long *rowno);
const char *const *tz_national_header(const tz_national *nx, size_t *n);
/* Persons read, members beyond the heads, households, and households with no
 * 户主 row (each an error already added by tz_national_finish). */
typedef struct tz_national_stats {
    size_t persons;    /* person rows read (blank rows not counted) */
    size_t members;    /* persons who are not the head of their household */
    size_t households; /* distinct 户编号 */
    size_t headless;   /* households without a 户主 row (no row made for them) */
} tz_national_stats;
/* Makes the households rows. Returns 0, or -1 when a household has no 户主
 * row or its 人数 differs from the persons listed (errors added, naming
 * file and row). */
int tz_national_finish(tz_national *nx, tz_diags *d, tz_national_stats *st);
void tz_national_free(tz_national *nx); /* safe on NULL */
/* ---- finding the table in a sheet (table.c) ------------------------------ */

/* Rows at the top of a sheet searched for its header. */
#define TZ_TABLE_SCAN_ROWS 20

/* Kinds of rows an import leaves out; each is counted in its result. */
typedef enum tz_skip_kind {
    TZ_SKIP_BLANK = 0,      /* every cell empty */
    TZ_SKIP_TITLE = 1,      /* above the header: the table's title */
    TZ_SKIP_INFO = 2,       /* above the header: 填报单位, 填报日期, 单位:元 */
    TZ_SKIP_COLNUM = 3,     /* just under the header: column numbers 1 2 3 or 甲 乙 丙 */
    TZ_SKIP_HEADER = 4,     /* the header again (a table pasted in blocks) */
    TZ_SKIP_TOTAL = 5,      /* 合计, 小计, 总计, 秦阁村小计 */
    TZ_SKIP_SUBHEADING = 6, /* one cell only: a village or township heading */
    TZ_SKIP_FOOTER = 7, /* 填表说明, 填表人, 审核人, 联系电话, and the lines after */
    TZ_SKIP_NOTES = 8,  /* the fill-in notes row of `taizhang template` */
    TZ_SKIP_KINDS = 9
} tz_skip_kind;
/* The kind's key in JSON answers ("blank", "title", "info", "colnum",
 * "header", "total", "subheading", "footer", "notes"), and its Chinese word
 * ("空行", "标题", ...). */
const char *tz_skip_key(tz_skip_kind k);
const char *tz_skip_word(tz_skip_kind k);

/* The header found at the top of a sheet. */
typedef struct tz_table_head {
    size_t at;    /* index, among the rows searched, of the header's first row */
    size_t nrows; /* 1, or 2 for a two-row header with merged group cells */
    char **cells; /* the header as one row, one cell per file column (owned) */
    size_t n;     /* number of cells */
    int matched;  /* ledger columns the cells name */
    int infile;   /* TZ_F_INFILE columns among them */
    int national; /* 1: the national system's person-level export (households only) */
} tz_table_head;

/* Finds the header among the first rows of a sheet (at most
 * TZ_TABLE_SCAN_ROWS; rows[r] has ns[r] cells): the row naming most ledger
 * columns (tz_header_col), earliest on a tie; or two rows, an upper one
 * with group cells (三保障) and the lower one under it, when together they
 * name more than either alone. For households, a row tz_national_detect
 * knows wins. Returns 1 found, 0 when no row names a column, -1 out of
 * memory; h is freed with tz_table_head_free. */
int tz_table_header(const tz_ledger *l, const char *const *const *rows, const size_t *ns,
                    size_t nrows, tz_table_head *h);
void tz_table_head_free(tz_table_head *h); /* safe on NULL */

/* The kind of a non-empty row above the header: TZ_SKIP_INFO for a line
 * naming who filled the table in and when, else TZ_SKIP_TITLE. */
tz_skip_kind tz_table_above(const char *const *cells, size_t n);

/* What earlier rows below the header decided; start from {0}. */
typedef struct tz_table_state {
    int seen_row;  /* a row under the header was looked at */
    int in_footer; /* a footer line was seen: short lines after it belong to it */
} tz_table_state;

/* What a row below header h is (m: the map built from h, or NULL before
 * one exists): -1 data, or the tz_skip_kind of a row to leave out. Only
 * rows that do not look like data are left out: a total (first cell 合计…),
 * a footer line (填表人…, at most four cells), the header repeated, column
 * numbers or the template's notes right under the header, a row of one
 * cell of Chinese text without a long number (a heading: 秦阁村) under a
 * header of three columns or more. */
int tz_table_row(const tz_ledger *l, const tz_table_head *h, const tz_header_map *m,
                 const char *const *cells, size_t n, tz_table_state *st);

#endif
