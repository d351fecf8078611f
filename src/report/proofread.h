/* proofread.h - proofreading (校对) of official Chinese writing.
 *
 * Owns: finding the mistakes a clerk's report typically has, in UTF-8 text:
 *   - words commonly misused in official writing (布署→部署, 拔负→拨付, 县政→
 *     县政府), from a data file loaded at run time (data/proofread_words.tsv);
 *   - doubled words: a run of 2–6 CJK characters written twice in a row
 *     ("决定着决定着");
 *   - unmatched brackets and quotes within a paragraph;
 *   - figures that contradict known facts from the ledgers ("全县106个贫困村"
 *     when the ledger has 105);
 *   - garbled characters (U+FFFD, invalid UTF-8, "锟斤拷");
 * and proofreading a .docx, .md or .txt file.
 * Does not own: reading those files (io/textdoc.h), where the facts come
 * from (the templates' declarations, report/template.h, evaluated by
 * report/draft.h), how findings are shown (cli/, web/), or correcting the
 * text (findings only suggest).
 *
 * Files: proofread.c (the run, findings, UTF-8 helpers), proofread_words.c
 * (the word list and its check), proofread_checks.c (doubled words,
 * brackets, garbled text), proofread_facts.c (figures), proofread_out.c
 * (output); proofread_impl.h joins them.
 *
 * The word list file (TSV, UTF-8, '#' starts a comment line, empty lines
 * ignored) has the columns
 *     wrong <TAB> right <TAB> context <TAB> note
 * where context and note may be empty or missing. "wrong" is the text to
 * find, "right" the suggestion. A row whose right equals wrong is an
 * exemption: that text is correct, and no finding of any check (word or
 * doubled word) inside it is reported ("研究研究	研究研究" allows the verb
 * reduplication). The context column is empty, "-", or space-separated
 * clauses that must all hold for the row to apply; each clause is KEY=ALTS,
 * ALTS being alternatives separated by "|", where the alternative "#" stands
 * for any digit (0-9 or full-width):
 *     next=A|B     the text right after the match starts with A or B
 *     !next=A|B    the text right after the match starts with none of them
 *     prev=A|B     the text right before the match ends with A or B
 *     !prev=A|B    the text right before the match ends with none of them
 *     !ahead=A|B   none of them occurs in the rest of the sentence (up to
 *                  。！？； or the end of the paragraph, at most 30 characters)
 * Example: "县政	县政府	!next=府|协|法|务" flags 县政 unless 县政府, 县政协 …;
 * "截止	截至	next=#|目前" flags 截止2019年 and 截止目前 but not 截止日期.
 *
 * Doubled words: the unit is 2–6 CJK ideographs repeated at once. A unit
 * made of one character ("常常", "哈哈哈哈") and a unit starting with 一
 * ("一个项目一个项目", "一步一步") are deliberate and never flagged; other
 * deliberate ones are exempted by the word list.
 *
 * Brackets: （）()、［］[]、【】、《》、〈〉、〔〕、｛｝{}、“”、‘’、「」、『』,
 * checked per paragraph (line); full- and half-width round (and square)
 * brackets pair with each other. A ")" or "）" right after a leading ordinal
 * ("1）", "a)") is a list marker, not a stray bracket, and a ’ between two
 * Latin letters is an apostrophe. A quotation that runs over several
 * paragraphs (opening “ on each, closing ” only on the last) is reported on
 * each paragraph but the last: rare in reports, and easy to dismiss.
 *
 * Facts: for a fact {label, unit, value}, a figure (tz_numword_parse) is
 * checked when it is written as
 *   A. FIGURE UNIT [up to 2 characters] LABEL     ("全县106个贫困村"), or
 *   B. LABEL [connector] FIGURE UNIT              ("贫困村共106个"),
 *      connector ∈ {共, 共有, 共计, 合计, 总计, 总数, 总数为, 总数达, 数, 数为,
 *      数量, 数量为, 为, 达, 达到, 有, 计, 是, :, ：} or nothing;
 * and flagged when the fact's value lies outside the figure's range
 * (tz_numword_parse: "30多万元" agrees with 32.6万元, "105个" with 105).
 * Units compare after 万/亿 ("16万元" agrees with {元, 160000}; "万美元"
 * never matches "万元"). To avoid false alarms a figure is NOT checked when
 *   - its clause (the text since the last ，,；;。：:！？!? or line start)
 *     holds, before the figure or label, a partial marker: 其中 每 各 有的
 *     部分 其余 剩余 还有 尚有 另有 新 已 又 ("其中贫困村一个",
 *     "还有21个行政村", "新建成156个");
 *   - (A) the figure follows 第 近 约 超过 不到 不足 将近 大约 逾 近乎 约为,
 *     or the characters between unit and label include 非 未 不 无 以 和 与
 *     及 或 左 上 下 多 余 ("35个以上贫困村"), or are not CJK ideographs;
 *   - (B) the unit is followed by 以上 以下 以内 左右 上下;
 *   - the label is preceded by 非 未 不 or 无 ("非贫困村6个");
 *   - the figure is a lone Chinese 一 ("一个项目": an article, not a count).
 * The caller should pass labels specific enough to name one quantity.
 *
 * Offsets are byte offsets into the text that was proofread (for files: the
 * UTF-8 text after BOM removal, decoding and docx extraction); line is the
 * 1-based line (one paragraph per line for .docx).
 */
#ifndef TZ_PROOFREAD_H
#define TZ_PROOFREAD_H
#include "util/buf.h"
#include "util/diag.h"
#include <stddef.h>

/* What a finding is about. */
typedef enum tz_proofread_kind {
    TZ_PROOF_WORD = 0,    /* 错别字: a word from the word list */
    TZ_PROOF_REPEAT = 1,  /* 词语重复: a doubled word */
    TZ_PROOF_BRACKET = 2, /* 括号引号不配对: unmatched bracket or quote */
    TZ_PROOF_FACT = 3,    /* 数字与台账不符: a figure that contradicts a fact */
    TZ_PROOF_GARBLED = 4  /* 乱码: U+FFFD, invalid UTF-8, 锟斤拷 */
} tz_proofread_kind;

/* Bit masks to choose checks in tz_proofread_opts.checks (0: all). */
#define TZ_PROOF_CHECK(kind) (1u << (kind))

/* One finding. All strings are owned by the findings list. */
typedef struct tz_proofread_finding {
    tz_proofread_kind kind; /* what the finding is about */
    long line;              /* 1-based line (paragraph) of the problem */
    long column;            /* 1-based character (code point) in that line */
    size_t offset;          /* byte offset of the problem in the proofread text */
    size_t len;             /* byte length of the problem text */
    char *text;             /* the problem text itself ("布署", "106个") */
    char *excerpt;          /* the problem with up to 10 characters each side, same line */
    char *message;          /* what is wrong, in Chinese */
    char *suggestion;       /* replacement text, or NULL when there is none to offer */
} tz_proofread_finding;

/* The findings of one run, sorted by offset. */
typedef struct tz_proofread_findings {
    tz_proofread_finding *items; /* findings in text order */
    size_t n;                    /* number of findings */
    size_t cap;                  /* allocated slots */
} tz_proofread_findings;

#define TZ_PROOFREAD_FINDINGS_INIT                                                                 \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* A figure the ledgers know, for the fact check. Strings are the caller's. */
typedef struct tz_proofread_fact {
    const char *label; /* wording next to the figure: "贫困村", "合同利用外资" */
    const char *unit;  /* unit of value: "个", "万元", "万美元", "人次" */
    double value;      /* the true value in that unit */
} tz_proofread_fact;

/* A loaded word list (opaque). */
typedef struct tz_proofread_words tz_proofread_words;

/* What to check. A zeroed struct checks everything that needs no data. */
typedef struct tz_proofread_opts {
    const tz_proofread_words *words; /* word list, or NULL to skip the word check */
    const tz_proofread_fact *facts;  /* facts, or NULL */
    size_t nfacts;                   /* number of facts */
    unsigned checks;                 /* TZ_PROOF_CHECK(kind) bits; 0 means all */
} tz_proofread_opts;

/* Loads the word list at path (format above). Returns the list, which the
 * caller frees with tz_proofread_words_free, or NULL with one error in diags
 * naming the file, the line and, for a bad context clause, the column and
 * value (all-or-nothing: a list with one bad row is refused). */
tz_proofread_words *tz_proofread_load_words(const char *path, tz_diags *diags);

/* The same from memory: text of len bytes; name labels diagnostics. */
tz_proofread_words *tz_proofread_parse_words(const char *text, size_t len, const char *name,
                                             tz_diags *diags);

/* Number of rows (corrections and exemptions) in a word list. */
size_t tz_proofread_words_count(const tz_proofread_words *w);

void tz_proofread_words_free(tz_proofread_words *w); /* safe on NULL */

/* Proofreads len bytes of UTF-8 text (need not be NUL-terminated; invalid
 * bytes are findings, not errors), appending findings to out, sorted by
 * offset; findings already in out stay first, untouched. opts may be NULL.
 * Returns 0, or -1 on bad arguments or out of memory (with a diag). */
int tz_proofread_text(const char *text, size_t len, const tz_proofread_opts *opts,
                      tz_proofread_findings *out, tz_diags *diags);

/* tz_textdoc_read (io/textdoc.h) + tz_proofread_text. When text_out is not NULL the
 * text is appended to it, and offsets count from where it was appended
 * (from 0 when text_out starts empty). Returns 0, or -1 with a diag. */
int tz_proofread_file(const char *path, const tz_proofread_opts *opts, tz_proofread_findings *out,
                      tz_buf *text_out, tz_diags *diags);

/* The Chinese name of a kind: "错别字", "词语重复", "括号引号不配对",
 * "数字与台账不符", "乱码". */
const char *tz_proofread_kind_name(tz_proofread_kind kind);

/* Appends one finding as a line (no newline) for people:
 * "第12行第71字 错别字 “布署”：“布署”应为“部署”（…），建议改为“部署”。上下文：…研究布署,编排…". */
int tz_proofread_format(const tz_proofread_finding *f, tz_buf *out);

/* Adds every finding to diags as a warning (row = line, column = kind name,
 * value = the problem text, reason = message and suggestion); file names
 * the document (may be NULL). */
void tz_proofread_to_diags(const tz_proofread_findings *f, const char *file, tz_diags *diags);

void tz_proofread_findings_free(tz_proofread_findings *f); /* safe on NULL; f stays usable */

#endif
