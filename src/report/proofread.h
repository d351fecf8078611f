/* proofread.h - proofreading (校对) of official Chinese writing.
 *
 * Owns: finding the mistakes a clerk's report typically has, in UTF-8 text:
 *   - words commonly misused in official writing (布署→部署, 拔负→拨付, 县政→
 *     县政府), from a data file loaded at run time (data/proofread_words.tsv);
 *   - doubled words: a run of 2–12 CJK characters written twice in a row
 *     ("决定着决定着"), and a clause or a list closer 等XX written twice
 *     within one sentence ("赛琪服饰等项目、鹿峰包装等项目");
 *   - 等 after a list that names every member of a complete set the text's
 *     scope knows (all counties of the report's city, all 专题招商组);
 *   - Chinese and Arabic numerals mixed for one kind of count in one
 *     sentence ("贫困村一个，非贫困村6个");
 *   - abbreviated years ("18、19年" for "2018、2019年");
 *   - a bare 目前 with no date (suggesting "截至2019年底");
 *   - unmatched brackets and quotes within a paragraph;
 *   - figures that contradict known facts from the ledgers ("全县106个贫困村"
 *     when the ledger has 105);
 *   - garbled characters (U+FFFD, invalid UTF-8, "锟斤拷");
 * and proofreading a .docx, .md, .txt or .html file.
 * Does not own: reading those files (io/textdoc.h), where the facts come
 * from (the templates' declarations, report/template.h, evaluated by
 * report/draft.h), how findings are shown (cli/, web/), or correcting the
 * text (findings only suggest).
 *
 * Files: proofread.c (the run, findings, UTF-8 helpers), proofread_words.c
 * (the word list and its check), proofread_checks.c (doubled words,
 * brackets, garbled text), proofread_facts.c (figures), proofread_style.c
 * (等, doubled phrases in a sentence, numerals, years, 目前),
 * proofread_scope.c (the complete sets and the date, from the database),
 * proofread_out.c (output); proofread_impl.h joins them.
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
 * Doubled words: the unit is 2–12 CJK ideographs repeated at once. A unit
 * made of one character ("常常", "哈哈哈哈") and a unit starting with 一
 * ("一个项目一个项目", "一步一步") are deliberate and never flagged; other
 * deliberate ones are exempted by the word list.
 *
 * Doubled in a sentence (sentences end at 。！？；!?; and line breaks; clauses
 * also at ，,：:, but not inside round brackets): a clause of 4 or more
 * ideographs written twice in one sentence ("力度还不够，力度还不够。"),
 * and 等 plus the same two ideographs twice in one clause ("赛琪服饰等项目、
 * 鹿峰包装等项目"). Parallel clauses ("签约了赛琪服饰等项目，落地了鹿峰包装
 * 等项目") and 等 in a word (一等奖, 平等, 等于, 甲等) are not flagged.
 *
 * 等 after a complete list: with a scope (tz_proofread_scope_load), at each
 * 等 (or 等等) the 、-separated items before it, back to the start of the
 * clause, are read (a trailing （…） on an item is dropped; the last may be
 * "A和B", "A及B", "A与B"; the first may have words before its member). When
 * they name every member of one of the scope's sets, each once and nothing
 * else, 等 is flagged: "等" is for a list cut short. The suggestion is the
 * list without 等 (plus 共 when a count follows: "…示范区共9个县区").
 * Sets of more than 32 members (a township's villages, say) are not looked
 * at, nor lists longer than 2048 bytes before their 等.
 *
 * Mixed numerals (GB/T 15835-2011): a count is a figure (tz_numword_parse)
 * followed at once by a measure word (个 户 人 名 家 项 场 次 所 座 条 件 位
 * 台 辆 套 处 篇 张 栋 元 吨 亩 公里 平方米 人次 场次 户次). In one sentence, a
 * count in Chinese numerals and one in Arabic numerals with the same measure
 * word flag the Chinese one ("一个" beside "6个"), suggesting Arabic ("1个").
 * Chinese counts the standard allows are left alone: approximations (三四个,
 * 十多个), 一 as an article (一个项目, 一次性: 一 + measure + an ideograph), a
 * figure starting with 百 or 千 (百家), a numeral inside a word (第一个, 唯一,
 * 初一, 之一), fixed expressions the word list exempts (三个代表). 一是, 一批,
 * 一些, 一定, 一期 are no counts (是 批 些 定 期 are not measure words), and
 * 两个乡 alone is fine.
 *
 * Abbreviated years: two digits (not part of a longer number) and 年, as a
 * list ("18、19年", "16-19年", "16至19年"), or alone when a year-word follows
 * (底 末 初 度 上半年 下半年 一季度 … 全年) or a time word precedes (于 在 至 到
 * 截至 从 自) and no duration word follows (来 间 内 以上 …). A duration word
 * before (近 几 了 为 满 达 第 …: "近10年来", "分别为10、20年") or a lone
 * "18年建成" is left alone. The suggestion writes the years in full, in the
 * century that puts them at most 10 years after the scope's date (2039
 * without one): "2018、2019年".
 *
 * A bare 目前: 目前 not after 截至/截止/到/至/直到, in a clause with no
 * 4-digit year before 年 and no 截至/截止, and not after a clause starting
 * with 截至/截止. With the scope's date the suggestion is "截至2019年底"
 * (period ends: "截至2015年6月底"; any other day "截至2015年7月15日").
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
    TZ_PROOF_GARBLED = 4, /* 乱码: U+FFFD, invalid UTF-8, 锟斤拷 */
    TZ_PROOF_ETC = 5,     /* 列举用“等”不当: 等 after a list naming a whole set */
    TZ_PROOF_NUMERAL = 6, /* 数字用法不一致: 一个…6个 in one sentence */
    TZ_PROOF_YEAR = 7,    /* 年份简写: 18、19年 for 2018、2019年 */
    TZ_PROOF_DATE = 8     /* 时间不明确: a bare 目前 */
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

/* What a text is about (opaque): the complete sets it may list (the
 * regions directly under its region, every unit of a kind) and the date it
 * speaks of. */
typedef struct tz_proofread_scope tz_proofread_scope;

/* What to check. A zeroed struct checks everything that needs no data. */
typedef struct tz_proofread_opts {
    const tz_proofread_words *words; /* word list, or NULL to skip the word check */
    const tz_proofread_fact *facts;  /* facts, or NULL */
    size_t nfacts;                   /* number of facts */
    unsigned checks;                 /* TZ_PROOF_CHECK(kind) bits; 0 means all */
    const tz_proofread_scope *scope; /* complete sets and date, or NULL (no 等 check,
                                        目前 without a date to suggest) */
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

/* A scope with no sets; asof is the date the text speaks of, "YYYY-MM-DD"
 * (a period's last day), or NULL. Returns NULL when out of memory. */
tz_proofread_scope *tz_proofread_scope_new(const char *asof);

/* Adds a complete set: name says what it is ("商丘市所辖9个县（市、区）"),
 * members[0..n) its members' names. A member may be listed by its name or a
 * short form: the name without a trailing 县/区/市/镇/乡/村/街道 or without
 * the set's kind (strip, e.g. "专题招商组": 装备制造专题招商组 → 装备制造),
 * when 2 or more characters remain. strip may be NULL. Sets of fewer than
 * 2 members are ignored. Returns 0, or -1 when out of memory. */
int tz_proofread_scope_add_set(tz_proofread_scope *sc, const char *name, const char *const *members,
                               size_t n, const char *strip);

/* The scope of a text about region (a 12-digit code, or NULL for the whole
 * database) and period ("2015-H1", or NULL) from the database: one set of
 * the regions directly under region (without region: under each region
 * that has any), one of the units of each kind (县区, 专题招商组, …) within
 * region, and the period's last day as the date. Returns the scope, or
 * NULL with a diag (an unreadable database, a malformed period). */
struct tz_store;
tz_proofread_scope *tz_proofread_scope_load(struct tz_store *s, const char *region,
                                            const char *period, tz_diags *diags);

/* Number of sets in a scope. */
size_t tz_proofread_scope_count(const tz_proofread_scope *sc);

void tz_proofread_scope_free(tz_proofread_scope *sc); /* safe on NULL */

/* Proofreads len bytes of UTF-8 text (need not be NUL-terminated; invalid
 * bytes are findings, not errors), appending findings to out, sorted by
 * offset; findings already in out stay first, untouched. opts may be NULL.
 * Returns 0, or -1 on bad arguments or out of memory (with a diag). */
int tz_proofread_text(const char *text, size_t len, const tz_proofread_opts *opts,
                      tz_proofread_findings *out, tz_diags *diags);

/* tz_textdoc_read (io/textdoc.h; for .html and .htm: the page's text, one
 * line per block element, see proofread_html.c) + tz_proofread_text. When text_out is not NULL the
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
