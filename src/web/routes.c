/* routes.c - the route table: every route of the API, one line each (cgit's
 * static routing table).
 *
 * Owns: which method and path pattern reach which handler, and each route's
 * flags (public, import-sized body). Does not own: matching (server.c), what
 * a route needs of the caller's role and scope (each handler checks that
 * with guard.c), the handlers (api_*.c).
 *
 * "{}" matches one path segment, "{*}" the rest of the path. A path that
 * matches no pattern is 404; one that matches with another method is 405.
 */
#include "web/web_impl.h"
#include <stddef.h>

const tz_route tz_routes[] = {
    /* api_data.c: read-only views */
    {"GET", "/api/ledgers", tz_api_ledgers, 0},
    {"GET", "/api/check", tz_api_check, 0},
    {"GET", "/api/indicators/{}", tz_api_indicator, 0},
    {"GET", "/api/report", tz_api_report, 0},
    {"GET", "/api/audit", tz_api_audit, 0},
    /* api_pages.c: what the pages need in one request */
    {"GET", "/api/regions", tz_api_regions, 0},
    {"GET", "/api/dashboard", tz_api_dashboard, 0},
    {"GET", "/api/deadlines", tz_api_deadlines, 0},
    /* api_report.c: the 报告 page */
    {"GET", "/api/report/kinds", tz_api_report_kinds, 0},
    {"GET", "/api/report/draft", tz_api_report_draft, 0},
    /* api_auth.c: sessions */
    {"POST", "/api/login", tz_api_login, TZ_ROUTE_PUBLIC},
    {"POST", "/api/logout", tz_api_logout, 0},
    {"GET", "/api/me", tz_api_me, 0},
    /* api_users.c: accounts below an administrator */
    {"GET", "/api/users", tz_api_users, 0},
    {"POST", "/api/users", tz_api_user_add, 0},
    {"POST", "/api/users/{}/disable", tz_api_user_disable, 0},
    {"POST", "/api/users/{}/enable", tz_api_user_enable, 0},
    {"POST", "/api/users/{}/password", tz_api_user_password, 0},
    /* api_submissions.c: 上报审核 */
    {"POST", "/api/submissions", tz_api_submit, 0},
    {"GET", "/api/submissions", tz_api_submissions, 0},
    {"POST", "/api/submissions/{}/approve", tz_api_approve, 0},
    {"POST", "/api/submissions/{}/return", tz_api_return, 0},
    {"POST", "/api/submissions/{}/reopen", tz_api_reopen, 0},
    /* api_rows.c: ledger rows, import and its progress */
    {"GET", "/api/ledgers/{}/rows", tz_api_rows_list, 0},
    {"GET", "/api/ledgers/{}/rows/{*}", tz_api_rows_get, 0},
    {"POST", "/api/ledgers/{}/rows", tz_api_rows_put, 0},
    {"DELETE", "/api/ledgers/{}/rows/{*}", tz_api_rows_delete, 0},
    {"POST", "/api/ledgers/{}/import", tz_api_import, TZ_ROUTE_IMPORT},
    /* api_files.c: ledger downloads */
    {"GET", "/api/ledgers/{}/export", tz_api_ledger_export, 0},
    {"GET", "/api/ledgers/{}/template", tz_api_ledger_template, 0},
    {"GET", "/api/imports/{}", tz_api_import_progress, 0},
    {NULL, NULL, NULL, 0},
};
