/* cmd_gen.c - `taizhang gen DIR --households N [--seed S]`: writes synthetic
 * ledgers of any size as CSV files that `taizhang import` accepts unchanged.
 *
 * Owns: the generator. The region tree is real-shaped: provinces (real
 * codes) of cities, of counties, of townships of 15-30 villages, with
 * 12-digit 统计用区划代码 and poor (贫困村) and non-poor villages; about 400
 * households a village. Every ledger of both documents gets rows:
 * households with valid and unique 身份证号, 户户通 installs, culture
 * centres, aided villages with cadres and inputs, cultural events, projects
 * with their monthly funds, units, targets and the rural population.
 *
 * Same seed, same bytes: the one PRNG is splitmix64 (Steele, Lea & Flood
 * 2014; util/random.c reads the kernel and cannot be seeded), in two
 * streams: "shape" draws the tree, "content" every value. Memory is flat in
 * N: nothing is held per household or per village. A first pass runs the
 * shape stream alone to sum the villages' weights; the second runs it again
 * and streams every file at once, a village at a time, giving village i
 * its share N * (w_0 + ... + w_i) / W of the households (exactly N in all).
 *
 * 身份证号 are unique by construction, without a set: a household's number
 * is its county's 6-digit code, then a (birth date, sequence) slot that is
 * slot = (k * A + B) mod M of the county's k-th household, where M is the
 * number of slots (birth dates 1935-01-01 .. 1994-12-31 times 1000
 * sequences) and A is coprime with M: a bijection on the slots. */
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "util/cal.h"
#include "util/num.h"
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GEN_MAX_HOUSEHOLDS 100000000ULL
#define GEN_PER_VILLAGE 400  /* households a village on average */
#define GEN_BIRTH_FIRST 1935 /* birth years of the heads of household */
#define GEN_BIRTH_LAST 1994
#define GEN_SLOTS_SEQ 1000               /* 3-digit sequences a birth date */
#define GEN_DATE 40                      /* "YYYY-MM-DD" buffers, with room the compiler can see */
#define GEN_FILE_BUF ((size_t)64 * 1024) /* stdio buffer of each file */

/* The files, in the order they import (references first). */
enum {
    F_REGIONS,
    F_UNITS,
    F_HOUSEHOLDS,
    F_CENTERS,
    F_TV,
    F_AID_VILLAGES,
    F_AID_CADRES,
    F_AID_INPUTS,
    F_EVENTS,
    F_PROJECTS,
    F_FUNDS,
    F_TARGETS,
    F_POPULATIONS,
    F_COUNT
};
static const char *const _ledger_ids[F_COUNT] = {
    "regions",       "units",      "households", "culture_centers", "tv_installs",
    "aid_villages",  "aid_cadres", "aid_inputs", "cultural_events", "projects",
    "project_funds", "targets",    "populations"};

/* ---- the PRNG: splitmix64 ------------------------------------------------ */

static uint64_t _next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform integer in [lo, hi] (the modulo bias is below 2^-40 here). */
static long _range(uint64_t *s, long lo, long hi)
{
    return lo + (long)(_next(s) % (uint64_t)(hi - lo + 1));
}

/* 1 with probability permille / 1000. */
static int _chance(uint64_t *s, int permille)
{
    return (long)(_next(s) % 1000) < permille;
}

/* ---- words ---------------------------------------------------------------- */

/* Strings of 3-byte UTF-8 characters (every one in the BMP's CJK block). */
static const char _surnames[] = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹"
                                "袁邓许沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜";
static const char _given[] = "建国军明华永德志保全长春福贵成学新振友海金庆喜富广连玉青山林卫东"
                             "红伟强刚峰磊超勇平安忠信义民生秀兰英芳桂花";
static const char _place_a[] = "东西南北安平宁丰永兴太大新清临长福宜开高梅柳桃石白龙凤青金宝"
                               "河山阳城泉汉";
static const char _place_b[] = "阳城平安丰宁川乡陵昌华源武台和德水州义谷云林溪化集庄";
static const char *const _village_tail[] = {"庄", "楼", "集", "营", "寨", "屯",
                                            "岗", "桥", "店", "湾", "寺", "堂"};
/* The 31 provinces; the largest N needs fewer (at least 8 640 villages a
 * province: 8 cities of 6 counties of 12 townships of 15 villages). */
static const char *const _provinces[][2] = {
    {"41", "河南省"},     {"34", "安徽省"}, {"37", "山东省"},         {"13", "河北省"},
    {"42", "湖北省"},     {"43", "湖南省"}, {"51", "四川省"},         {"52", "贵州省"},
    {"53", "云南省"},     {"62", "甘肃省"}, {"45", "广西壮族自治区"}, {"61", "陕西省"},
    {"36", "江西省"},     {"14", "山西省"}, {"22", "吉林省"},         {"23", "黑龙江省"},
    {"32", "江苏省"},     {"33", "浙江省"}, {"35", "福建省"},         {"44", "广东省"},
    {"46", "海南省"},     {"21", "辽宁省"}, {"15", "内蒙古自治区"},   {"50", "重庆市"},
    {"54", "西藏自治区"}, {"63", "青海省"}, {"64", "宁夏回族自治区"}, {"65", "新疆维吾尔自治区"},
    {"11", "北京市"},     {"12", "天津市"}, {"31", "上海市"}};
#define GEN_PROVINCES (sizeof _provinces / sizeof _provinces[0])
static const char *const _industries[] = {"纺织服装", "食品加工", "装备制造", "电子信息",
                                          "新型建材", "制冷设备", "现代物流", "农副产品加工",
                                          "生物医药", "新能源",   "文化旅游", "钢卷尺"};
static const char *const _hh_kinds[] = {"一般贫困户", "一般贫困户", "低保贫困户", "特困供养贫困户"};
static const char *const _causes[] = {"因病",   "因病",   "因残",         "因学",
                                      "因灾",   "缺土地", "缺水",         "缺技术",
                                      "缺劳力", "缺资金", "交通条件落后", "自身发展动力不足",
                                      "其他"};
/* 两不愁三保障 of a household still poor: 是 75%, 否 20%, not recorded 5%. */
static const char *_guarantee(uint64_t *r)
{
    long p = _range(r, 0, 99);
    return p < 75 ? "是" : p < 95 ? "否" : "";
}
static const char *const _channels[] = {"以商招商", "老乡招商", "商会招商",
                                        "业务招商", "专题招商", "其他"};
static const char *const _stages[] = {"在谈", "签约", "落地", "落地", "投产"};
/* Poverty lines by exit year (元), as in bench/gen_county.py. */
static const int _lines[] = {2800, 2855, 3026, 3335, 3535, 3747, 4000}; /* 2014..2020 */

/* Appends the i-th 3-byte character of s. */
static void _char(char *out, size_t sz, const char *s, size_t i)
{
    size_t n = strlen(s) / 3, len = strlen(out);
    if (len + 4 <= sz) {
        memcpy(out + len, s + (i % n) * 3, 3);
        out[len + 3] = '\0';
    }
}

/* A person's name: a surname and one or two given characters. */
static void _person(uint64_t *r, char *out, size_t sz)
{
    out[0] = '\0';
    _char(out, sz, _surnames, (size_t)_next(r));
    _char(out, sz, _given, (size_t)_next(r));
    if (_chance(r, 800))
        _char(out, sz, _given, (size_t)_next(r));
}

/* Distinct two-character place names. */
/* the characters of each list (three UTF-8 bytes each), known when compiling */
#define GEN_PLACE_A ((sizeof _place_a - 1) / 3)
#define GEN_PLACE_B ((sizeof _place_b - 1) / 3)

static size_t _places(void)
{
    return GEN_PLACE_A * GEN_PLACE_B;
}

/* A two-character place name, unique for i below _places() (then numbered). */
static void _place(size_t i, const char *suffix, char *out, size_t sz)
{
    const size_t na = GEN_PLACE_A, nb = GEN_PLACE_B;
    out[0] = '\0';
    _char(out, sz, _place_a, i % na);
    _char(out, sz, _place_b, (i / na) % nb);
    size_t len = strlen(out);
    if (i >= na * nb)
        snprintf(out + len, sz - len, "%zu", i / (na * nb));
    len = strlen(out);
    snprintf(out + len, sz - len, "%s", suffix);
}

/* ---- dates ---------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (util/cal). */
static long _days(long y, long m, long d)
{
    return tz_cal_days((int)y, (int)m, (int)d);
}

/* ---- the generator's state -------------------------------------------- */

typedef struct gen {
    FILE *f[F_COUNT];
    uint64_t households; /* N */
    uint64_t shape;      /* the shape stream */
    uint64_t content;    /* the content stream */
    uint64_t total_w;    /* the villages' weights, summed by the first pass */
    uint64_t cum_w;      /* weights of the villages written so far */
    uint64_t written;    /* households written */
    /* the tree, where it stands */
    size_t province, city, county, township, village; /* indexes within the parent */
    size_t county_no;                                 /* counties so far, all cities */
    size_t cities_left, counties_left, townships_left, villages_left;
    char province_code[3], city_code[5], county_code[7], township_code[10];
    char county_name[64], city_name[64];
    size_t nind, ind[3]; /* the county's 主导产业: 2 or 3 indexes into _industries */
    uint64_t county_hh;  /* households of the county so far */
    size_t event_no, input_no;
    /* the county's 身份证号 slots */
    uint64_t id_k, id_a, id_b, id_m;
    long birth0; /* days of 1935-01-01 */
    int bar;     /* progress on a terminal */
    int pct;     /* last drawn */
    const char *dir;
} gen;

/* ---- the shape: one village at a time ---------------------------------- */

/* Draws the next village's place in the tree from the shape stream, opening
 * a township, county, city or province when the one before is full. Sets
 * *opened to the highest level opened (0 none, 1 township, 2 county, 3
 * city, 4 province). Returns the village's weight. */
static uint64_t _shape_next(gen *g, int *opened)
{
    *opened = 0;
    if (g->villages_left == 0) {
        *opened = 1;
        if (g->townships_left == 0) {
            *opened = 2;
            if (g->counties_left == 0) {
                *opened = 3;
                if (g->cities_left == 0) {
                    *opened = 4;
                    g->province++; /* from SIZE_MAX: 0 */
                    g->cities_left = (size_t)_range(&g->shape, 8, 17);
                    g->city = SIZE_MAX;
                }
                g->cities_left--;
                g->city++;
                g->counties_left = (size_t)_range(&g->shape, 6, 10);
                g->county = SIZE_MAX;
            }
            g->counties_left--;
            g->county++;
            g->townships_left = (size_t)_range(&g->shape, 12, 25);
            g->township = SIZE_MAX;
        }
        g->townships_left--;
        g->township++;
        g->villages_left = (size_t)_range(&g->shape, 15, 30);
        g->village = SIZE_MAX;
    }
    g->villages_left--;
    g->village++;
    return (uint64_t)_range(&g->shape, 40, 160);
}

/* Starts the shape stream from the seed. */
static void _shape_reset(gen *g, uint64_t seed)
{
    g->shape = seed ^ 0x5348415045ULL; /* "SHAPE" */
    g->cities_left = g->counties_left = g->townships_left = g->villages_left = 0;
    g->province = g->city = g->county = g->township = g->village = SIZE_MAX;
    g->county_no = SIZE_MAX;
}

/* The number of villages: about GEN_PER_VILLAGE households each. */
static uint64_t _nvillages(uint64_t n)
{
    return (n + GEN_PER_VILLAGE - 1) / GEN_PER_VILLAGE;
}

/* ---- rows ------------------------------------------------------------------ */

/* "YYYY-MM-DD" of a day number. */
static void _date(long z, char out[GEN_DATE])
{
    int y, m, d;
    tz_cal_civil(z, &y, &m, &d);
    snprintf(out, GEN_DATE, "%04d-%02d-%02d", y, m, d);
}

/* A random date of a year, as "YYYY-MM-DD". */
static void _date_in(uint64_t *r, long year, char out[GEN_DATE])
{
    snprintf(out, GEN_DATE, "%04d-%02d-%02d", (int)year, (int)_range(r, 1, 12),
             (int)_range(r, 1, 28));
}

static uint64_t _gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The k-th 身份证号 of the county (see the file comment). */
static void _id_number(gen *g, char out[19])
{
    uint64_t slot = (g->id_k++ * g->id_a + g->id_b) % g->id_m;
    char born[GEN_DATE];
    _date(g->birth0 + (long)(slot / GEN_SLOTS_SEQ), born);
    snprintf(out, 19, "%s%.4s%.2s%.2s%03" PRIu64, g->county_code, born, born + 5, born + 8,
             slot % GEN_SLOTS_SEQ);
    out[17] = tz_idcard_check(out);
    out[18] = '\0';
}

static void _open_province(gen *g)
{
    const char *const *p = _provinces[g->province % GEN_PROVINCES];
    snprintf(g->province_code, sizeof g->province_code, "%s", p[0]);
    fprintf(g->f[F_REGIONS], "%s0000000000,%s,,省,,\n", p[0], p[1]);
}

static void _open_city(gen *g, size_t city_no)
{
    snprintf(g->city_code, sizeof g->city_code, "%s%02zu", g->province_code, g->city + 1);
    _place(city_no, "市", g->city_name, sizeof g->city_name);
    fprintf(g->f[F_REGIONS], "%s00000000,%s,%s0000000000,市,,\n", g->city_code, g->city_name,
            g->province_code);
}

/* The targets of the county that closes: 户户通 quotas by its households. */
static void _close_county(gen *g, uint64_t households)
{
    FILE *t = g->f[F_TARGETS];
    fprintf(t, "%s文化广电旅游局,2018,户户通安装户数,%" PRIu64 "\n", g->county_name,
            households / 4);
    fprintf(t, "%s文化广电旅游局,2019,户户通安装户数,%" PRIu64 "\n", g->county_name,
            households / 5);
    fprintf(t, "%s文化广电旅游局,2019,村级文化服务中心覆盖率(%%),100\n", g->county_name);
    fprintf(t, "%s,2015,引进3亿元以上工业项目数,5\n", g->county_name);
    fprintf(t, "%s,2015,引进主导产业3亿元以上工业项目数,2\n", g->county_name);
    fprintf(t, "%s,2015,实际利用外资增长率(%%),10\n", g->county_name);
}

/* The monthly funds of a landed project, from its landing month for up to
 * a year, to 2019-12 at the latest. */
static void _funds(gen *g, const char *id, long landed, int foreign)
{
    int y, m, d;
    tz_cal_civil(landed, &y, &m, &d);
    for (int k = 0; k < 12 && y <= 2019; k++) {
        fprintf(g->f[F_FUNDS], "%s,%04d-%02d,%ld,%ld\n", id, y, m, _range(&g->content, 50, 3000),
                foreign ? _range(&g->content, 10, 300) : 0L);
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
}

/* One project of the county, k-th, and its funds. */
static void _project(gen *g, size_t k)
{
    uint64_t *r = &g->content;
    char id[32], investor[64], sign[GEN_DATE] = "", land[GEN_DATE] = "";
    long landed = 0;
    snprintf(id, sizeof id, "XM%s%03zu", g->county_code, k + 1);
    /* consecutive within the county: distinct investors, distinct names */
    _place((g->county_no * 29 + k) % _places(), "实业有限公司", investor, sizeof investor);
    const char *ind = _chance(r, 800) ? _industries[g->ind[(size_t)_range(r, 0, (long)g->nind - 1)]]
                                      : _industries[(size_t)_range(r, 0, 11)];
    int foreign = _chance(r, 100);
    const char *stage = _stages[_range(r, 0, 4)];
    if (strcmp(stage, "在谈") != 0) {
        long s = _days(_range(r, 2014, 2019), _range(r, 1, 12), _range(r, 1, 28));
        _date(s, sign);
        if (strcmp(stage, "签约") != 0)
            _date(landed = s + _range(r, 30, 300), land);
    }
    char fdi[24] = "0";
    if (foreign)
        snprintf(fdi, sizeof fdi, "%ld", _range(r, 100, 3000));
    fprintf(g->f[F_PROJECTS], "%s,%.6s%s项目,%s,%s000000,%s,%s,%s,%ld.%ld,%s,%s,%s,%s,%s,%s,%s\n",
            id, investor, ind, investor, g->county_code, g->county_name, ind,
            _chance(r, 700) ? "是" : "否", _range(r, 1, 20), _range(r, 0, 9),
            _chance(r, 850) ? "新建" : "增资", foreign ? "是" : "否", fdi, stage, sign, land,
            _channels[_range(r, 0, 5)]);
    if (land[0])
        _funds(g, id, landed, foreign);
}

static void _open_county(gen *g)
{
    uint64_t *r = &g->content;
    snprintf(g->county_code, sizeof g->county_code, "%s%02zu", g->city_code, g->county + 21);
    _place(g->county_no, "县", g->county_name, sizeof g->county_name);
    g->nind = (size_t)_range(r, 2, 3);
    size_t first = (size_t)_range(r, 0, 11);
    for (size_t i = 0; i < g->nind; i++)
        g->ind[i] = (first + i * 5) % 12;
    fprintf(g->f[F_REGIONS], "%s000000,%s,%s00000000,县,,", g->county_code, g->county_name,
            g->city_code);
    for (size_t i = 0; i < g->nind; i++)
        fprintf(g->f[F_REGIONS], "%s%s", i ? "、" : "", _industries[g->ind[i]]);
    fputc('\n', g->f[F_REGIONS]);
    fprintf(g->f[F_UNITS], "%s,县区,%s000000\n", g->county_name, g->county_code);
    fprintf(g->f[F_UNITS], "%s文化广电旅游局,县直单位,%s000000\n", g->county_name, g->county_code);
    fprintf(g->f[F_UNITS], "%s扶贫办,县直单位,%s000000\n", g->county_name, g->county_code);
    long nproj = _range(r, 12, 25);
    for (long k = 0; k < nproj; k++)
        _project(g, (size_t)k);
    g->id_k = 0;
    g->id_m = (uint64_t)(_days(GEN_BIRTH_LAST + 1, 1, 1) - g->birth0) * GEN_SLOTS_SEQ;
    g->id_b = _next(r) % g->id_m;
    g->id_a = (_next(r) % g->id_m) | 1;
    while (_gcd(g->id_a, g->id_m) != 1)
        g->id_a += 2;
}

/* The township's cultural events: films and shows every month of 2016-2019. */
static void _open_township(gen *g)
{
    uint64_t *r = &g->content;
    char name[64];
    snprintf(g->township_code, sizeof g->township_code, "%s%03zu", g->county_code,
             g->township + 101);
    _place((g->county_no * 37 + g->township) % _places(), _chance(r, 700) ? "镇" : "乡", name,
           sizeof name);
    fprintf(g->f[F_REGIONS], "%s000,%s,%s000000,乡,,\n", g->township_code, name, g->county_code);
    for (long y = 2016; y <= 2019; y++)
        for (long m = 1; m <= 12; m++) {
            fprintf(g->f[F_EVENTS], "WH%08zu,%04ld-%02ld-15,送电影下乡,,电影,%s000,%ld,%ld\n",
                    ++g->event_no, y, m, g->township_code, _range(r, 5, 30), _range(r, 500, 5000));
            fprintf(g->f[F_EVENTS],
                    "WH%08zu,%04ld-%02ld-20,文艺宣传演出,扶贫政策宣传,小品,%s000,%ld,%ld\n",
                    ++g->event_no, y, m, g->township_code, _range(r, 1, 4), _range(r, 300, 3000));
        }
}

/* One household of the village (its seq-th), and its 户户通 install; adds
 * its members to *people. */
static void _household(gen *g, const char *village, uint64_t seq, uint64_t *people)
{
    uint64_t *r = &g->content;
    char id[19], name[32], helper[32] = "";
    _id_number(g, id);
    _person(r, name, sizeof name);
    if (_chance(r, 600))
        _person(r, helper, sizeof helper);
    long ident = _range(r, 2014, 2016), exited = _range(r, 2015, 2021), members = _range(r, 1, 6);
    if (exited == 2021) /* still poor */
        exited = 0;
    else if (exited < ident)
        exited = ident;
    long income = exited ? _range(r, 4200, 12000) : _range(r, 1800, 3900);
    if (exited && _chance(r, 1)) /* a planted exit-rule finding, one in a thousand */
        income = _lines[exited - 2014] - 100;
    const char *ok[4];
    for (int i = 0; i < 4; i++)
        ok[i] = exited ? "是" : _guarantee(r);
    char exit_year[8] = "";
    if (exited)
        snprintf(exit_year, sizeof exit_year, "%ld", exited);
    fprintf(g->f[F_HOUSEHOLDS], "%s%05" PRIu64 ",%s,%s,%s,%ld,%s,%s,%ld,%s,%ld,%s,%s,%s,%s,%s\n",
            village, seq + 1, name, id, village, members, _hh_kinds[_range(r, 0, 3)],
            _causes[_range(r, 0, 12)], ident, exit_year, income, ok[0], ok[1], ok[2], ok[3],
            helper);
    *people += (uint64_t)members;
    if (_chance(r, 600)) {
        char day[GEN_DATE];
        _date_in(r, _range(r, 2017, 2019), day);
        fprintf(g->f[F_TV], "%s%05" PRIu64 ",%s,%s广电网络,%s\n", village, seq + 1, day,
                g->county_name, _chance(r, 30) ? "故障" : "正常");
    }
}

/* An aided village (the first four of the county's first township, the
 * first three of its second, as in document A): the bureau's aid, its
 * cadres (two or one) and five inputs, the odd ones to a household. */
static void _aid(gen *g, const char *village, uint64_t households)
{
    static const char *const posts[] = {"第一书记", "工作队长", "工作队员"};
    static const char *const kinds[] = {"业务骨干", "年轻后备干部", "其他"};
    uint64_t *r = &g->content;
    if (g->township > 1 || g->village >= (g->township ? 3U : 4U))
        return;
    fprintf(g->f[F_AID_VILLAGES], "%s文化广电旅游局,%s,2017-03-01,\n", g->county_name, village);
    for (size_t c = 0; c < (g->township ? 1U : 2U); c++) {
        char name[32];
        _person(r, name, sizeof name);
        fprintf(g->f[F_AID_CADRES], "%s,%s文化广电旅游局,%s,%s,%s,2017-03-01,\n", name,
                g->county_name, village, posts[c ? 2 : g->village % 2], kinds[_range(r, 0, 2)]);
    }
    for (int j = 0; j < 5; j++) {
        int to_household = j % 2 && households > 0;
        char hid[64] = "";
        if (to_household)
            snprintf(hid, sizeof hid, "%s%05" PRIu64, village,
                     (uint64_t)_range(r, 1, (long)households));
        fprintf(g->f[F_AID_INPUTS], "TR%08zu,2018-%02d-10,%s文化广电旅游局,%s,%s,%s,%s,%ld.%ld\n",
                ++g->input_no, j + 1, g->county_name, village, hid,
                to_household ? "生活用品" : "办公设备", to_household ? "米面油" : "电脑桌椅",
                _range(r, 0, 3), _range(r, 1, 9));
    }
}

/* The village's culture centre (most have one), its 送戏下乡 shows when poor,
 * and its rural population 2014-2020 (the registered poor are 12-30% of a
 * poor village, 2-6% of another). */
static void _village_rest(gen *g, const char *village, int poor, uint64_t people)
{
    uint64_t *r = &g->content;
    if (_chance(r, 950)) {
        long year = poor ? _range(r, 2016, 2017) : _range(r, 2018, 2019);
        long paid = _range(r, 0, 10);
        fprintf(g->f[F_CENTERS], "%s,%ld,%ld,%s,10,%ld\n", village, year, _range(r, 30, 200) * 10,
                _chance(r, 970) ? "是" : "否", paid);
    }
    if (poor)
        for (long y = 2016; y <= 2019; y++)
            fprintf(g->f[F_EVENTS], "WH%08zu,%ld-06-15,送戏下乡,朝阳沟,豫剧,%s,1,%ld\n",
                    ++g->event_no, y, village, _range(r, 200, 900));
    long share = poor ? _range(r, 120, 300) : _range(r, 20, 60); /* permille */
    uint64_t base = people * 1000 / (uint64_t)share;
    if (base < 300)
        base = 300;
    for (long y = 2014; y <= 2020; y++)
        fprintf(g->f[F_POPULATIONS], "%s,%ld,%" PRIu64 "\n", village, y,
                base + base * 4 * (uint64_t)(y - 2014) / 1000);
}

/* Draws the progress bar when the percentage moved. */
static void _progress(gen *g, int last)
{
    int pct = g->households ? (int)(g->written * 100 / g->households) : 100;
    if (!g->bar || (pct == g->pct && !last))
        return;
    g->pct = pct;
    char label[PATH_MAX + 16], tail[48];
    snprintf(label, sizeof label, "生成 %s", g->dir);
    snprintf(tail, sizeof tail, " %" PRIu64 "户", g->written);
    tz_cli_bar(label, pct, tail, last);
}

/* One village with its households (its share of N by weight). */
static void _village(gen *g, uint64_t weight)
{
    uint64_t *r = &g->content;
    uint64_t from = g->households * g->cum_w / g->total_w;
    g->cum_w += weight;
    uint64_t to = g->households * g->cum_w / g->total_w, n = to - from, people = 0;
    char village[16], name[64] = "";
    snprintf(village, sizeof village, "%s%03zu", g->township_code, g->village + 201);
    int poor = (g->township == 0 && g->village == 0) || _chance(r, 250);
    _char(name, sizeof name, _surnames, g->county_no * 7 + g->township * 3 + g->village);
    snprintf(name + strlen(name), sizeof name - strlen(name), "%s村",
             _village_tail[_range(r, 0, 11)]);
    fprintf(g->f[F_REGIONS], "%s,%s,%s000,村,%s,\n", village, name, g->township_code,
            poor ? "是" : "否");
    for (uint64_t k = 0; k < n; k++) {
        _household(g, village, k, &people);
        if ((++g->written & 4095) == 0)
            _progress(g, 0);
    }
    g->county_hh += n;
    _aid(g, village, n);
    _village_rest(g, village, poor, people);
}

/* ---- files ----------------------------------------------------------------- */

/* Opens DIR/<ledger>.csv for each ledger, writing the BOM and the contract
 * header (the ledger table's own column names). Returns an exit status. */
static int _open_files(gen *g)
{
    for (size_t i = 0; i < F_COUNT; i++) {
        const tz_ledger *l = tz_ledger_find(_ledger_ids[i]);
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s.csv", g->dir, _ledger_ids[i]);
        if (!l) {
            fprintf(stderr, "内部错误: 没有台账 %s\n", _ledger_ids[i]);
            return TZ_EXIT_ENV;
        }
        if (!(g->f[i] = fopen(path, "w"))) {
            fprintf(stderr, "无法写入 %s: %s\n", path, strerror(errno));
            return TZ_EXIT_ENV;
        }
        (void)setvbuf(g->f[i], NULL, _IOFBF, GEN_FILE_BUF); /* a failure keeps the default */
        fputs("\xef\xbb\xbf", g->f[i]);
        for (size_t c = 0; c < l->ncols; c++)
            fprintf(g->f[i], "%s%s", c ? "," : "", l->cols[c].name);
        fputc('\n', g->f[i]);
    }
    return TZ_EXIT_OK;
}

/* Closes every file; a write error (disk full) is an environment error. */
static int _close_files(gen *g, int rc)
{
    for (size_t i = 0; i < F_COUNT; i++) {
        if (!g->f[i])
            continue;
        int bad = ferror(g->f[i]);
        if ((fclose(g->f[i]) != 0 || bad) && rc == TZ_EXIT_OK) {
            fprintf(stderr, "写入 %s/%s.csv 失败: %s\n", g->dir, _ledger_ids[i],
                    errno ? strerror(errno) : "写入出错");
            rc = TZ_EXIT_ENV;
        }
        g->f[i] = NULL;
    }
    return rc;
}

/* ---- the command ------------------------------------------------------------ */

/* Every file, streamed a village at a time (the shape's second pass). */
static void _generate(gen *g, uint64_t seed)
{
    uint64_t villages = _nvillages(g->households);
    size_t city_no = 0;
    _shape_reset(g, seed);
    g->content = seed ^ 0x434f4e54454e54ULL; /* "CONTENT" */
    g->birth0 = _days(GEN_BIRTH_FIRST, 1, 1);
    for (uint64_t v = 0; v < villages; v++) {
        int opened;
        uint64_t w = _shape_next(g, &opened);
        if (opened >= 2 && g->county_no != SIZE_MAX)
            _close_county(g, g->county_hh);
        if (opened >= 4)
            _open_province(g);
        if (opened >= 3)
            _open_city(g, city_no++);
        if (opened >= 2) {
            g->county_no++;
            g->county_hh = 0;
            _open_county(g);
        }
        if (opened >= 1)
            _open_township(g);
        _village(g, w);
    }
    _close_county(g, g->county_hh);
    _progress(g, 1);
}

/* Creates DIR when missing. Returns an exit status (after printing why). */
static int _make_dir(const char *dir)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "无法创建目录 %s: %s\n", dir, strerror(errno));
        return TZ_EXIT_ENV;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s 已存在且不是目录\n", dir);
        return TZ_EXIT_ENV;
    }
    return TZ_EXIT_OK;
}

int tz_cmd_gen(int argc, char **argv, const tz_command *self)
{
    static const char help[] =
        "\n在 DIR 中生成一套合成台账(CSV,UTF-8 带 BOM,表头即导入契约),可直接用\n"
        "taizhang import 导入,用于演示、测试和性能测试:\n"
        "  区划树按真实形状生成(省、市、县、乡镇、村,12位统计用区划代码,贫困村与非贫困村),\n"
        "  每村约400户;建档立卡户(身份证号校验码、出生日期有效且互不重复)、户户通安装、\n"
        "  村级文化服务中心、帮扶村、驻村干部、帮扶投入、文化活动、招商项目、资金到位、\n"
        "  责任单位、目标任务和农村户籍人口。\n"
        "  同一 --seed 生成的文件逐字节相同(默认种子 1);内存占用与户数无关。\n"
        "  DIR 不存在时创建;其中同名的 13 个 .csv 文件会被覆盖,其他文件不动。\n"
        "\n选项:\n"
        "  --households N  建档立卡户数,1 到 100000000\n"
        "  --seed S        随机种子(非负整数)\n"
        "  --quiet         不显示进度\n"
        "\n导入顺序: regions units households culture_centers tv_installs aid_villages\n"
        "  aid_cadres aid_inputs cultural_events projects project_funds targets populations\n"
        "例: taizhang gen /tmp/county --households 200000 --seed 7\n";
    static const tz_opt_spec opts[] = {{.name = "--households", .takes_value = 1},
                                       {.name = "--seed", .takes_value = 1},
                                       {.name = "--quiet"},
                                       {.name = NULL}};
    const tz_cli_form form = {
        .opts = opts, .npos_min = 1, .npos_max = 1, .npos_msg = "需要一个参数 DIR", .help = help};
    tz_args a;
    int rc;
    if (!tz_cli_begin(argc, argv, self, &form, &a, &rc))
        return rc;
    gen g = {.dir = a.pos[0], .pct = -1};
    uint64_t seed = 1;
    const char *n = tz_args_get(&a, "--households");
    if (!n)
        return tz_usage_error(self->usage, "缺少 --households N(建档立卡户数)");
    long long num;
    if (tz_num_int(n, 1, (long long)GEN_MAX_HOUSEHOLDS, &num) != 0)
        return tz_usage_error(self->usage,
                              "--households 的值 \"%s\" 无效: 应为 1 到 %llu 之间的整数", n,
                              (unsigned long long)GEN_MAX_HOUSEHOLDS);
    g.households = (uint64_t)num;
    const char *s = tz_args_get(&a, "--seed");
    if (s && tz_num_int(s, 0, LLONG_MAX, &num) != 0)
        return tz_usage_error(self->usage, "--seed 的值 \"%s\" 无效: 应为 0 到 %lld 之间的整数", s,
                              LLONG_MAX);
    if (s)
        seed = (uint64_t)num;
    if ((rc = _make_dir(g.dir)) != TZ_EXIT_OK)
        return rc;
    g.bar = !tz_args_has(&a, "--quiet") && isatty(STDERR_FILENO);
    /* first pass: the weights of every village */
    _shape_reset(&g, seed);
    for (uint64_t v = 0, villages = _nvillages(g.households); v < villages; v++) {
        int opened;
        g.total_w += _shape_next(&g, &opened);
    }
    if ((rc = _open_files(&g)) == TZ_EXIT_OK)
        _generate(&g, seed);
    rc = _close_files(&g, rc);
    if (rc == TZ_EXIT_OK && !tz_args_has(&a, "--quiet"))
        printf("已在 %s 生成 %" PRIu64 " 户的台账(%zu 个县,种子 %" PRIu64 ")\n", g.dir,
               g.households, g.county_no + 1, seed);
    return rc;
}
