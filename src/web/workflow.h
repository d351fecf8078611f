/* workflow.h - 上报审核: a scope submits a period upward, the level above
 * approves or returns it, an approval locks the period's rows (store/lock.c)
 * until it is reopened; deadlines are data and the listing says who is late.
 *
 * Owns: the states of a submission (tz_submissions) and the moves between
 * them, who may make each move, the deadlines (tz_deadlines) and the
 * listing of a region's scopes one level down. Does not own the lock rule
 * itself (store/lock.c), sessions or role checks of a request (guard.c), or
 * the HTTP handlers (api_submissions.c, thin over this).
 *
 * States, per scope (a region or a 责任单位) and period (a month, quarter,
 * half year or year, tz_period_parse; stored by its label, first and last
 * day):
 *
 *   未上报 --上报--> 已上报 --审核通过--> 已审核 --重新打开--> 已重开
 *                     |  ^                                      |
 *                   退回 +--------------上报(再次)--------------+
 *                     v  |
 *                    已退回
 *
 * Who (tz_account's role and scope):
 * - 上报: a 填报 or 管理员 account, for its own scope or a scope inside it.
 * - 审核通过, 退回 (reason required), 重新打开 (reason optional): a 审核 or
 *   管理员 account whose scope strictly contains the submission's: a region
 *   strictly contains the regions under it (a county's townships and
 *   villages, never itself) and every 责任单位 whose 所属区划代码 lies in it
 *   (a county reviews the units seated in the county). A unit's scope
 *   contains no other scope, so a unit account reviews nothing, and no
 *   account reviews its own scope's submission.
 * Every move is audited (tz_store_audit, ledger "submissions", key
 * "<区划代码 or 单位>/<期间>"): 上报, 审核通过, 退回, 重新打开.
 *
 * Deadlines: a scope of level 市/县/乡/村 (or a 单位) submits a period by
 * day tz_deadlines.day of the month after the period's last day (2024-03
 * and 2024-Q1 are due 2024-04-05 with the default day 5). It is late from
 * the day after, while it has not submitted or was returned and has not
 * submitted again. "Today" is the local date, or TZ_TODAY=YYYY-MM-DD from
 * the environment (tests, and checking a listing as of another day).
 */
#ifndef TZ_WEB_WORKFLOW_H
#define TZ_WEB_WORKFLOW_H
#include "store/store.h"
#include "util/diag.h"
#include "web/web.h"
#include <jansson.h>
#include <stddef.h>

/* What a move gave, and the HTTP status each stands for. */
typedef enum tz_wf_result {
    TZ_WF_OK = 0,        /* done (200/201) */
    TZ_WF_INVALID = 1,   /* a wrong or missing value (400): diag names the field */
    TZ_WF_FORBIDDEN = 2, /* the role or the scope does not allow it (403) */
    TZ_WF_NOT_FOUND = 3, /* no submission with that id (404) */
    TZ_WF_CONFLICT = 4,  /* not in a state that allows the move (409) */
    TZ_WF_ERROR = -1     /* database or environment failure (500; diag) */
} tz_wf_result;

/* The state of a scope's period. */
typedef enum tz_sub_state {
    TZ_SUB_NONE = 0,      /* 未上报: no submission yet */
    TZ_SUB_SUBMITTED = 1, /* 已上报: waiting for the level above */
    TZ_SUB_RETURNED = 2,  /* 已退回: sent back with a reason; may be submitted again */
    TZ_SUB_APPROVED = 3,  /* 已审核: approved; its rows are locked */
    TZ_SUB_REOPENED = 4   /* 已重开: approval withdrawn; may be submitted again */
} tz_sub_state;

/* "none", "submitted", "returned", "approved", "reopened" (as stored). */
const char *tz_sub_state_key(tz_sub_state st);
/* 未上报, 已上报, 已退回, 已审核, 已重开. */
const char *tz_sub_state_word(tz_sub_state st);

/* Longest reason accepted, in characters. */
#define TZ_WF_REASON_CHARS 200

/* One scope's period: its submission, or what the listing knows of it. */
typedef struct tz_submission {
    long long id;          /* tz_submissions.id; 0: none yet (TZ_SUB_NONE) */
    tz_access scope;       /* the region (code, digits) or the unit */
    char scope_name[256];  /* the region's name or the unit's */
    tz_level level;        /* the region's level; TZ_LEVEL_NONE for a unit */
    char period[16];       /* the period's label: "2024-03", "2024-Q1", "2024" */
    char start[11];        /* its first day */
    char end[11];          /* its last day */
    tz_sub_state state;    /* where it stands */
    char submitted_by[64]; /* who submitted last, or "" */
    char submitted_at[20]; /* when ("2024-04-03 09:12:00", local time), or "" */
    char reviewed_by[64];  /* who approved, returned or reopened it last, or "" */
    char reviewed_at[20];  /* when, or "" */
    char reason[1024];     /* the reason of a return or reopening, or "" */
    char deadline[11];     /* listing: the last day to submit, or "" when none is set */
    int late;              /* listing: 1 when past the deadline and not submitted */
} tz_submission;

/* 上报: by submits the period (text, tz_period_parse) for a region (code or
 * exact name) or a unit (exactly one non-NULL). Allowed when the scope has
 * no submission for it, or it was returned or reopened; 409 while it is
 * submitted or approved. On TZ_WF_OK *out is the stored submission. */
tz_wf_result tz_wf_submit(tz_store *s, const tz_account *by, const char *region, const char *unit,
                          const char *period, tz_submission *out, tz_diags *d);

typedef enum tz_wf_action {
    TZ_WF_APPROVE = 0, /* 审核通过: submitted -> approved */
    TZ_WF_RETURN = 1,  /* 退回: submitted -> returned (reason required) */
    TZ_WF_REOPEN = 2   /* 重新打开: approved -> reopened (reason optional) */
} tz_wf_action;

/* Moves submission id by act, as by (a 审核 or 管理员 account of a scope
 * strictly containing it). reason: trimmed, at most TZ_WF_REASON_CHARS
 * characters, no control characters but line breaks; required to return,
 * optional to reopen (NULL or ""), ignored on approval. On TZ_WF_OK *out is
 * the submission after the move. */
tz_wf_result tz_wf_review(tz_store *s, const tz_account *by, long long id, tz_wf_action act,
                          const char *reason, tz_submission *out, tz_diags *d);

/* Reads submission id into *out. Returns 1 found, 0 not, -1 on error. */
int tz_wf_get(tz_store *s, long long id, tz_submission *out);

/* A region's (or a unit's) standing and its scopes one level down. */
typedef struct tz_wf_list {
    char period[16];      /* the period's label */
    char today[11];       /* the day lateness was judged on */
    tz_submission self;   /* the listed scope itself */
    tz_submission *items; /* child regions (by code), then the units seated in the region
                             (by name); none for a unit or a village */
    size_t n;             /* number of items */
} tz_wf_list;

/* Lists, for the period (NULL or "": the month before today), the scope
 * region (code or exact name; NULL: by's own scope, which may be a unit)
 * and the scopes directly below it: the regions whose 上级区划代码 it is and
 * the units whose 所属区划代码 it is, each with its state, who and when,
 * deadline and lateness. Any role may list inside its own scope; a region
 * outside it is TZ_WF_FORBIDDEN. Free *out with tz_wf_list_free. */
tz_wf_result tz_wf_list_scopes(tz_store *s, const tz_account *by, const char *period,
                               const char *region, tz_wf_list *out, tz_diags *d);
void tz_wf_list_free(tz_wf_list *l); /* safe on NULL and on a zeroed list */

/* {"id", "status", "status_word", "scope": {"kind", "code" | "unit",
 * "name", "level"}, "period", "start", "end", "submitted_by",
 * "submitted_at", "reviewed_by", "reviewed_at", "reason"} ("" as null),
 * plus "deadline" and "late" when with_deadline. NULL when out of memory. */
json_t *tz_wf_json(const tz_submission *sub, int with_deadline);
/* {"period", "today", "scope": tz_wf_json(self, 1), "counts": {"none",
 * "submitted", "returned", "approved", "reopened", "late"} (of the items),
 * "items": [tz_wf_json(item, 1)...], "late": [the late items]}. NULL when
 * out of memory. */
json_t *tz_wf_list_json(const tz_wf_list *l);

/* ---- deadlines ------------------------------------------------------------ */

/* The levels a deadline is kept for, in order: 市, 县, 乡, 村, 单位
 * (NULL-terminated). */
const char *const *tz_deadline_levels(void);
/* The day of the month after a period by which a scope of level (a word of
 * tz_deadline_levels) submits. Returns 1 (*day set), 0 when none is set,
 * -1 on a database error. */
int tz_deadline_get(tz_store *s, const char *level, int *day);
/* Sets it: level one of tz_deadline_levels, day "1".."28". Audited (actor
 * may be NULL: 命令行). Returns 0, 1 when a value is refused (Chinese diag
 * naming 层级 or 日期), -1 on a database error (diag). */
int tz_deadline_set(tz_store *s, const char *level, const char *day, const char *actor,
                    tz_diags *d);
/* The due date of a period ending on end (YYYY-MM-DD): day `day` of the
 * next month, into out. */
void tz_deadline_date(const char *end, int day, char out[11]);
/* Today as YYYY-MM-DD: TZ_TODAY when set (it must be a real date), else the
 * local date. Returns 0, or -1 with a Chinese diag. */
int tz_wf_today(char out[11], tz_diags *d);

#endif
