-- poverty-work.lua - 精准扶贫工作汇报 (report A of domain.md §4) for one 县直单位
-- in its county, as of the end of the period, with the years before it.
--
-- Every number and every name below comes from an evaluation (ind, ind_by,
-- explain, rows, targets, region); the fixed text is only the wording around
-- them. A sentence is written only when the data has something to say, and
-- its wording follows the data ("全部建成" only when every one is built).
-- The API is described at the top of src/report/draft_api.c.

local R = report {
  kind = "poverty-work",
  title = "精准扶贫工作汇报",
  -- a 县直单位 reports on its county: the unit must belong to the region
  scope = { level = "县", unit = "县直单位" },
  indicators = {
    "行政村数", "贫困村数", "村级文化服务中心数", "贫困村文化服务中心数", "非贫困村文化服务中心数",
    "贫困村文化广场1000平方米以上中心数", "贫困村文化广场500至1000平方米中心数",
    "达标文化服务中心数", "未达标文化服务中心数", "未建或未达标行政村数",
    "未建文化服务中心行政村数", "村级文化服务中心覆盖率(%)",
    "文化服务中心奖补标准(万元)", "已拨付奖补(万元)", "应拨未拨奖补(万元)",
    "户户通安装户数", "户户通故障户数", "未安装户户通贫困户数",
    "户户通任务户数", "户户通任务未安装户数", "已脱贫未安装户户通户数",
    "帮扶村数", "帮扶乡镇数", "帮扶贫困村数", "帮扶非贫困村数", "驻村干部人数",
    "帮扶到户投入(万元)", "帮扶基础设施投入(万元)", "帮扶设备器材投入(万元)", "帮扶到户户数",
    "贫困发生率(%)",
    "文化活动场次", "文艺宣传演出场次", "赛事活动场次", "送戏下乡场次", "送电影下乡场次",
    "文化活动受益人次",
  },
  -- Figures the proofreader checks the text against (src/report/proofread.h),
  -- to date. A label names one quantity: "行政村" does not, since the report
  -- also counts the aided villages ("7个行政村"), nor does "建档立卡贫困户"
  -- ("283户建档立卡贫困户的设备故障"). Figures stated per year ("2018年安装
  -- 4809户") have no fact: a label would not say which year.
  facts = {
    { label = "贫困村", indicator = "贫困村数" },
    { label = "送戏下乡", indicator = "送戏下乡场次" },
    { label = "送电影下乡", indicator = "送电影下乡场次" },
    { label = "受益群众", indicator = "文化活动受益人次" },
    { label = "行政村未建设或不达标", indicator = "未建或未达标行政村数" },
    { label = "未建设或不达标的行政村", indicator = "未建或未达标行政村数" },
    { label = "奖补资金未拨付", indicator = "应拨未拨奖补(万元)" },
    { label = "驻村干部", indicator = "驻村干部人数" },
    { label = "后备干部", indicator = "驻村干部人数" },
    { label = "其中广场面积达到1000平方米以上的", indicator = "贫困村文化广场1000平方米以上中心数" },
    { label = "广场面积1000平方米以上的", indicator = "贫困村文化广场1000平方米以上中心数" },
    { label = "500平方米以上1000平方米以下的", indicator = "贫困村文化广场500至1000平方米中心数" },
    { label = "建档立卡贫困户的户户通设备", indicator = "户户通故障户数" },
    -- the centres built in the years whose subsidy is still owed ("18、19年建成的",
    -- as a clerk may abbreviate it; the report itself writes full years)
    { label = "{years}年建成的", indicator = "村级文化服务中心数", years_where = "应拨未拨奖补(万元)" },
  },
}
local P = R.period
local UNIT = R.unit

local county = region(R.region)
local TODATE = { mode = "todate" }
local UNIT_TODATE = { unit = UNIT, mode = "todate" }

-- ---- wording helpers -------------------------------------------------------

-- "全县"/"全区"/"全市" and "我县"/"我区" from the region's own name.
local function last_char(s)
  local n = utf8.len(s)
  return n and n > 0 and s:sub(utf8.offset(s, n)) or s
end
local KIND = last_char(county.name)
if KIND ~= "县" and KIND ~= "区" and KIND ~= "市" and KIND ~= "旗" then KIND = county.level end
local WHOLE, OUR = "全" .. KIND, "我" .. KIND

-- The unit speaks of itself as 我局/我办/我委 from the last character of its name.
local WE = "我" .. last_char(UNIT)
if not ({ ["局"] = 1, ["办"] = 1, ["委"] = 1, ["院"] = 1, ["站"] = 1, ["所"] = 1, ["中心"] = 1 })[last_char(UNIT)] then
  WE = "我单位"
end
local STAFF = WE == "我单位" and "全体同志" or ("全" .. last_char(UNIT) .. "同志")
-- Full name: 县文化广电旅游局 in 鹿邑县 → 鹿邑县文化广电旅游局.
local FULL = UNIT
if UNIT:sub(1, #KIND) == KIND and county.name:sub(-#KIND) == KIND then
  FULL = county.name .. UNIT:sub(#KIND + 1)
end

-- Counts are written in Arabic numerals throughout ("2个乡镇7个行政村"):
-- one sentence never mixes 两个 with 7个.

-- Money as a report writes it: exact when whole (16万元), else "30多万元".
local function money(v, unit)
  if v == math.floor(v) then return num(v, unit) end
  return approx(v, unit, "多", 1)
end

-- Shows and visits rounded down to the hundreds: 523 → 500多, 15634 → 15600多.
local function hundreds(v, unit)
  local digits = math.max(1, #tostring(math.floor(v)) - 2)
  return approx(v, unit, "多", digits)
end

-- A number the template computes (a share, a per-centre amount, a
-- difference): calc() over the sources given, those that are nil left out.
local function computed(text, value, how, ...)
  local srcs = {}
  for i = 1, select("#", ...) do
    local x = select(i, ...)
    if x ~= nil then srcs[#srcs + 1] = x end
  end
  return calc(text, value, how, table.unpack(srcs))
end

-- A target value as printed: a figure of the targets ledger.
local function target_fig(t, text)
  return fig(text, t.target_src)
end

local function sum(groups)
  local s = 0
  for _, g in ipairs(groups) do s = s + (g.value or 0) end
  return s
end

local function nonzero(groups)
  local out = {}
  for _, g in ipairs(groups) do
    if g.value and g.value > 0 then out[#out + 1] = g end
  end
  return out
end

-- Groups with a value, the biggest first (ties by key), for lists of names.
local function by_value(groups)
  local out = nonzero(groups)
  table.sort(out, function(a, b)
    if a.value ~= b.value then return a.value > b.value end
    return a.key < b.key
  end)
  return out
end

local function labels(groups)
  local out = {}
  for i, g in ipairs(groups) do out[i] = g.label end
  return out
end

-- "电脑3台" → "电脑", "乐器(锣鼓、唢呐等)" → "乐器": the item without its quantity.
local function item_name(s)
  s = s:gsub("%b()", ""):gsub("（.-）", "")
  s = s:gsub("%d+[^%d]*$", "")
  return s
end

local function distinct(list)
  local seen, out = {}, {}
  for _, v in ipairs(list) do
    if v ~= "" and not seen[v] then seen[v] = true; out[#out + 1] = v end
  end
  return out
end

local function strip_cun(name) -- 卢尧村 → 卢尧
  if name:sub(-#"村") == "村" and utf8.len(name) > 2 then return name:sub(1, -#"村" - 1) end
  return name
end

-- The target of an indicator for the unit in a year, or nil.
local function target_of(indicator, year)
  for _, t in ipairs(targets({ unit = UNIT, period = tostring(year) })) do
    if t.indicator == indicator and t.year == year then return t end
  end
  return nil
end

-- Findings of the rules (problem level), by rule id; {} when the rules cannot run.
local FINDINGS = {}
do
  local ok, list = pcall(findings, { period = P })
  if ok then
    for _, f in ipairs(list) do
      if f.level == "problem" then FINDINGS[f.rule] = f end
    end
  else
    warn("规则检查未能运行,存在的问题只依据指标写出:" .. tostring(list))
  end
end

-- ---- what there is to report -----------------------------------------------

-- The unit's aided poor villages against the village-exit threshold at the
-- end of the last complete year (metrics' village_exit rule, whose finding
-- names the villages at or above it, the threshold and the document that
-- sets it): {poor = n, above = {{v, rate, src}...}, thr, basis, year}, or
-- nil when a village's 贫困发生率 is unknown (no 户籍人口 rows): then the
-- report claims nothing either way.
local AIDED_EXIT
do
  local f = FINDINGS["village_exit"]
  local listed, thr, basis = {}, nil, "贫困村退出标准"
  if f then
    for k in (f.keys or ""):gmatch("[^、]+") do listed[k] = true end
    thr = tonumber(f.message:match("贫困发生率低于([%d%.]+)%%"))
    basis = f.message:match("^按(.-)规定的") or basis
  end
  local out = { poor = 0, above = {}, thr = thr, basis = basis,
    year = P.months == 12 and P.year or P.year - 1 }
  for _, g in ipairs(nonzero(ind_by("帮扶村数", UNIT_TODATE, "village"))) do
    local v = region(g.key)
    if v and v.poor then
      local ok, rate, rsrc = pcall(ind, "贫困发生率(%)", { region = v.code })
      if not ok or rate == nil then out = nil; break end
      out.poor = out.poor + 1
      if listed[v.code] or (thr and rate >= thr) then
        out.above[#out.above + 1] = { v = v, rate = rate, src = rsrc }
      end
    end
  end
  AIDED_EXIT = out
end

local centres_total = ind("村级文化服务中心数", TODATE)
local tv_total = ind("户户通安装户数", TODATE)
local aided = ind("帮扶村数", UNIT_TODATE)
local events_total = ind("文化活动场次", TODATE)

title(FULL .. "精准扶贫工作汇报", "（截至" .. P.end_words .. "）")

do
  local works = {}
  if centres_total > 0 then works[#works + 1] = WHOLE .. "村级综合性文化服务中心（以下简称文化服务中心）建设" end
  if tv_total > 0 then works[#works + 1] = "建档立卡贫困户电视信号户户通项目" end
  if aided > 0 then works[#works + 1] = "驻村帮扶工作" end
  local also = ""
  if events_total > 0 then
    -- the kinds of events held, named from the data (a complete list: no 等)
    local named = {}
    for _, g in ipairs(nonzero(ind_by("文化活动场次", TODATE, "kind"))) do
      if g.key == "文艺宣传演出" then named[#named + 1] = "扶贫政策文艺宣传"
      elseif g.key == "送戏下乡" then named[#named + 1] = "送戏下乡"
      elseif g.key == "送电影下乡" then named[#named + 1] = "送电影下乡" end
    end
    if #named > 0 then also = "，组织开展了" .. join(named, true) .. "活动" end
  end
  local listed = #works > 1 and (join({ table.unpack(works, 1, #works - 1) }) .. "及" .. works[#works]) or works[1]
  local did = #works > 0 and ("，认真组织实施了" .. listed .. also) or also
  para(WE .. "按照省委、省政府及" .. KIND .. "委、" .. KIND .. "政府脱贫攻坚工作部署和精准扶贫、精准脱贫方略，切实发挥职能作用"
    .. did .. "，现将具体情况汇报如下：")
end

local sec = 0
local SECNUM = { "一", "二", "三", "四", "五", "六", "七", "八" }
local function section(t)
  sec = sec + 1
  h1(SECNUM[sec] .. "、" .. t)
end

-- ---- 一、村级综合性文化服务中心建设 -------------------------------------------

local villages, villages_src = ind("行政村数", TODATE)
local missing_all = ind("未建或未达标行政村数", TODATE)
local missing_none = ind("未建文化服务中心行政村数", TODATE)
local not_compliant = ind("未达标文化服务中心数", TODATE)

if centres_total > 0 then
  section("村级综合性文化服务中心建设")

  -- the plaza-area split of the poor villages' centres as of a window; the
  -- thresholds are part of the indicators' definitions (their names)
  local function area_split(at, built)
    local big, big_src = ind("贫困村文化广场1000平方米以上中心数", at)
    local mid, mid_src = ind("贫困村文化广场500至1000平方米中心数", at)
    local big_min = big_src.name:match("(%d+)平方米以上")
    local mid_lo, mid_hi = mid_src.name:match("(%d+)至(%d+)平方米")
    local parts = {}
    if big > 0 then
      parts[#parts + 1] = { "广场面积达到" .. big_min .. "平方米以上的", fig(num(big, "个"), big_src) }
    end
    if mid > 0 then
      parts[#parts + 1] = { mid_lo .. "平方米以上" .. mid_hi .. "平方米以下的", fig(num(mid, "个"), mid_src) }
    end
    local rest = built - big - mid
    if rest > 0 then
      local _, built_src = ind("贫困村文化服务中心数", at)
      parts[#parts + 1] = { mid_lo .. "平方米以下的", computed(num(rest, "个"), rest,
        "贫困村文化服务中心" .. built .. "个－" .. big_min .. "平方米以上" .. big .. "个－" .. mid_lo .. "至" .. mid_hi
        .. "平方米" .. mid .. "个", built_src, big_src, mid_src) }
    end
    if #parts == 0 then return nil end
    local out = { "，其中" }
    for i, p in ipairs(parts) do
      if i > 1 then out[#out + 1] = "，" end
      out[#out + 1] = p
    end
    return out
  end

  -- poor villages: built by which year (all of them, or how many), then the
  -- non-poor villages: the coverage target and the centres built each year;
  -- one paragraph, as the seed writes it
  local s = {}
  local npoor, npoor_src = ind("贫困村数", TODATE)
  local poor_years = nonzero(ind_by("贫困村文化服务中心数", TODATE, "year"))
  local poor_built = sum(poor_years)
  if npoor > 0 then
    s[#s + 1] = "贫困村文化服务中心建设情况，按照脱贫攻坚工作要求，每个贫困村必须建有文化服务中心（含文化广场）"
    if poor_built >= npoor and #poor_years > 0 then
      local last = poor_years[#poor_years].key
      local at = { period = last, mode = "todate" }
      local n_poor_at, src_poor_at = ind("贫困村数", at)
      s[#s + 1] = "，至" .. last .. "年底" .. WHOLE
      s[#s + 1] = fig(num(n_poor_at, "个"), src_poor_at)
      s[#s + 1] = "贫困村全部建成了文化广场"
      s[#s + 1] = area_split(at, poor_built)
    else
      local _, built_src = ind("贫困村文化服务中心数", TODATE)
      s[#s + 1] = "，截至" .. P.end_words .. WHOLE
      s[#s + 1] = fig(num(npoor, "个"), npoor_src)
      s[#s + 1] = "贫困村中已建成"
      s[#s + 1] = fig(num(poor_built, "个"), built_src)
      s[#s + 1] = area_split(TODATE, poor_built)
      s[#s + 1] = "；还有"
      s[#s + 1] = computed(num(npoor - poor_built, "个"), npoor - poor_built,
        "贫困村数" .. npoor .. "个－已建成文化服务中心的贫困村" .. poor_built .. "个", npoor_src, built_src)
      s[#s + 1] = "贫困村尚未建成"
      -- name them when they are few
      local names = {}
      for _, code in ipairs(explain("未建文化服务中心行政村数", TODATE)) do
        local v = region(code)
        if v and v.poor then names[#names + 1] = v.name end
      end
      if #names > 0 and #names <= 10 then s[#s + 1] = "（" .. join(names) .. "）" end
    end
  end

  local cover = target_of("村级文化服务中心覆盖率(%)", P.year)
  local nonpoor_years = nonzero(ind_by("非贫困村文化服务中心数", TODATE, "year"))
  if #nonpoor_years > 0 or cover then
    s[#s + 1] = (#s > 0 and "；" or "") .. "非贫困村文化服务中心建设"
    if cover then
      -- the requirement is the unit's target in the targets ledger
      s[#s + 1] = "，按照" .. UNIT .. cover.year .. "年目标任务，到" .. cover.year .. "年底文化服务中心覆盖率要达到"
      s[#s + 1] = target_fig(cover, num(cover.target, "%"))
    end
    for i, g in ipairs(nonpoor_years) do
      if tonumber(g.key) and tonumber(g.key) <= P.year then
        s[#s + 1] = (i == 1 and "，" .. OUR or "，") .. g.key .. "年新建成"
        s[#s + 1] = fig(num(g.value, "个"), g.src)
      end
    end
  end
  if #s > 0 then
    s[#s + 1] = "。"
    para(s)
  end

  -- the centres built each year, poor and non-poor villages, as a chart
  do
    local per, cats = {}, {}
    for i, list in ipairs({ poor_years, nonpoor_years }) do
      for _, g in ipairs(list) do
        if tonumber(g.key) and tonumber(g.key) <= P.year then
          if not per[g.key] then per[g.key] = { 0, 0 }; cats[#cats + 1] = g.key end
          per[g.key][i] = g.value
        end
      end
    end
    table.sort(cats)
    if #cats > 1 then
      -- stacked: a year's bar is its poor and non-poor villages' centres; a
      -- zero is no bar segment (nil), a series with no value is left out
      local poor_v, non_v, names = {}, {}, {}
      local any_poor, any_non = false, false
      for i, y in ipairs(cats) do
        names[i] = y .. "年"
        if per[y][1] > 0 then poor_v[i] = per[y][1]; any_poor = true end
        if per[y][2] > 0 then non_v[i] = per[y][2]; any_non = true end
      end
      local series = {}
      if any_poor then series[#series + 1] = { name = "贫困村", values = poor_v } end
      if any_non then series[#series + 1] = { name = "非贫困村", values = non_v } end
      chart("图1　" .. WHOLE .. "各年度建成文化服务中心情况", "个", names, series, { stacked = true })
    end
  end

  -- where the county stands at the end of the period
  local compliant, compliant_src = ind("达标文化服务中心数", TODATE)
  local s2 = { "截至" .. P.end_words .. "，" .. WHOLE, fig(num(villages, "个"), villages_src), "行政村中" }
  if missing_all == 0 then
    local _, rate_src = ind("村级文化服务中心覆盖率(%)", TODATE)
    s2[#s2 + 1] = "已全部建成达标的文化服务中心，覆盖率达到"
    s2[#s2 + 1] = fig(num(100, "%"), rate_src)
    s2[#s2 + 1] = "。"
  else
    local _, missing_src = ind("未建或未达标行政村数", TODATE)
    local _, none_src = ind("未建文化服务中心行政村数", TODATE)
    local _, nc_src = ind("未达标文化服务中心数", TODATE)
    local _, rate_src = ind("村级文化服务中心覆盖率(%)", TODATE)
    s2[#s2 + 1] = "已有"
    s2[#s2 + 1] = fig(num(compliant, "个"), compliant_src)
    s2[#s2 + 1] = "建成达标的文化服务中心，覆盖率为"
    s2[#s2 + 1] = fig(pct(compliant / villages, 1), rate_src)
    s2[#s2 + 1] = "，还有"
    s2[#s2 + 1] = fig(num(missing_all, "个"), missing_src)
    s2[#s2 + 1] = "行政村未建设或不达标"
    if missing_none > 0 and not_compliant > 0 then
      s2[#s2 + 1] = "，其中未建设的"
      s2[#s2 + 1] = fig(num(missing_none, "个"), none_src)
      s2[#s2 + 1] = "，已建成但未达标的"
      s2[#s2 + 1] = fig(num(not_compliant, "个"), nc_src)
    end
    s2[#s2 + 1] = "。"
  end
  para(s2)
  if missing_all > 0 then
    local todo = {}
    if missing_none > 0 then todo[#todo + 1] = "继续宣传发动尚未建设的行政村建设文化服务中心" end
    if not_compliant > 0 then todo[#todo + 1] = "督促已建成但未达标的文化服务中心进行提升改造" end
    para("今后，" .. WE .. "将" .. table.concat(todo, "，") .. "。")
  end
end

-- ---- 二、电视信号户户通工作 ------------------------------------------------------

-- The 户户通 task covers the 建档立卡贫困户 still poor at the end of the
-- period (metrics: 户户通任务户数; a household that left poverty before an
-- install is outside it). Both the sentence on the quotas here and the
-- problem "尚未安装" in 五 count against that one definition.
local TV_LEFT, TV_LEFT_SRC = ind("户户通任务未安装户数", TODATE)
local TV_TASK, TV_TASK_SRC = ind("户户通任务户数", TODATE)
local TV_GONE, TV_GONE_SRC = ind("已脱贫未安装户户通户数", TODATE)

-- The part of the period's year up to its end, as the installs to date
-- count it: "2019年上半年", "2019年1至9月", "2019年1月".
local RUNNING_WORDS = P.year .. "年" .. (P.months == 6 and "上半年" or P.months == 1 and "1月"
  or ("1至" .. P.months .. "月"))

-- The installs of the period's year up to its end ("2019年1至9月": mode
-- "ytd"). Returns the marked text (with unit_word, or a bare number for a
-- table cell), the value and its source.
local function running_installs(unit_word)
  local v, src = ind("户户通安装户数", { period = P, mode = "ytd" })
  v = v or 0
  return fig(num(v, unit_word), src), v, src
end

-- A year's quota is judged only when the year is over at the period's end.
local function year_closed(y)
  return y < P.year or P.months == 12
end

if tv_total > 0 then
  section("电视信号户户通工作")
  local years = {}
  for _, g in ipairs(nonzero(ind_by("户户通安装户数", TODATE, "year"))) do
    if tonumber(g.key) and tonumber(g.key) <= P.year then years[#years + 1] = g end
  end
  local s = { "建档立卡贫困户全部实现电视信号户户通，是落实精准扶贫、精准脱贫战略的重点工作，" .. WE }
  -- the closed years first, then their judgement, then a year still under
  -- way (the period's own), judged as a share of its whole-year quota
  local closed, missed, running = 0, {}, nil
  local n = 0
  for _, g in ipairs(years) do
    local y = tonumber(g.key)
    local t = target_of("户户通安装户数", y)
    if year_closed(y) then
      n = n + 1
      s[#s + 1] = (n == 1 and "" or "，") .. g.key .. "年安装"
      s[#s + 1] = fig(num(g.value, "户"), g.src)
      if t and t.target > 0 then
        if g.value >= t.target then closed = closed + 1 else missed[#missed + 1] = { g = g, t = t } end
      end
    else
      running = { g = g, t = t }
    end
  end
  -- "完成了核定任务" only when every closed year with a quota installed at
  -- least its quota
  if closed > 0 and #missed == 0 then
    s[#s + 1] = closed > 1 and "，均完成了年度核定任务" or "，完成了当年核定任务"
  end
  for _, m in ipairs(missed) do
    s[#s + 1] = "；" .. m.g.key .. "年核定任务"
    s[#s + 1] = target_fig(m.t, num(m.t.target, "户"))
    s[#s + 1] = "，完成"
    s[#s + 1] = computed(pct(m.g.value / m.t.target, 1), m.g.value / m.t.target * 100,
      m.g.key .. "年安装" .. m.g.value .. "户÷核定任务" .. m.t.target .. "户", m.g.src, m.t.target_src)
  end
  if running then
    local g, t = running.g, running.t
    local text, v, run_src = running_installs("户")
    s[#s + 1] = (n > 0 and "；" or "") .. RUNNING_WORDS .. "安装"
    s[#s + 1] = text
    if t and t.target > 0 then
      s[#s + 1] = "，完成全年核定任务"
      s[#s + 1] = target_fig(t, num(t.target, "户"))
      s[#s + 1] = "的"
      s[#s + 1] = computed(pct(v / t.target, 1), v / t.target * 100,
        RUNNING_WORDS .. "安装" .. v .. "户÷" .. g.key .. "年核定任务" .. t.target .. "户", run_src,
        t.target_src)
      -- against the time schedule (时序进度), as metrics judges it for the
      -- period, when the targets carry that judgement
      for _, tp in ipairs(targets({ unit = UNIT, period = P })) do
        local words = { ["超序时进度"] = true, ["达到序时进度"] = true, ["滞后于序时进度"] = true }
        if tp.indicator == "户户通安装户数" and tp.schedule ~= nil and not tp.year_end and words[tp.status] then
          s[#s + 1] = "，" .. tp.status
        end
      end
    end
  end
  s[#s + 1] = "。"
  para(s)

  -- what the task covers and what is left of it, as of the period's end
  if TV_TASK > 0 then
    local s2 = { "户户通任务以尚未脱贫的建档立卡贫困户为对象。截至" .. P.end_words .. "，" .. WHOLE .. "未脱贫的建档立卡贫困户",
      fig(num(TV_TASK, "户"), TV_TASK_SRC) }
    if TV_LEFT == 0 then
      s2[#s2 + 1] = "已全部安装电视信号户户通"
    else
      s2[#s2 + 1] = "，其中还有"
      s2[#s2 + 1] = fig(num(TV_LEFT, "户"), TV_LEFT_SRC)
      s2[#s2 + 1] = "尚未安装"
    end
    if TV_GONE > 0 then
      s2[#s2 + 1] = "；另有"
      s2[#s2 + 1] = fig(num(TV_GONE, "户"), TV_GONE_SRC)
      s2[#s2 + 1] = "已脱贫、未安装的建档立卡贫困户不在任务范围内"
    end
    s2[#s2 + 1] = "。"
    para(s2)
  end

  -- the same by year, as a table: the years with installs, and the years
  -- after the first install up to the period that had a quota
  local by_year, first = {}, nil
  for _, g in ipairs(years) do
    local y = tonumber(g.key)
    by_year[y] = g
    if not first or y < first then first = y end
  end
  if first then
    local trs, any_quota = {}, false
    for y = first, P.year do
      local g = by_year[y]
      local t = target_of("户户通安装户数", y)
      if g or t then
        local label = (y == P.year and P.months < 12) and RUNNING_WORDS or (tostring(y) .. "年")
        local cell, done, srcs
        if y == P.year and P.months < 12 then
          local run_src
          cell, done, run_src = running_installs(nil)
          srcs = { run_src }
        else
          local done_src
          done, done_src = ind("户户通安装户数", { period = tostring(y) })
          cell, srcs = fig(num(done), done_src), { done_src }
        end
        -- the share of the year's quota installed, one precision for the
        -- column; a year still under way is a share of the whole year's quota
        local quota, share = "—", "—"
        if t and t.target > 0 then
          quota = target_fig(t, num(t.target))
          share = computed(string.format("%.1f%%", done / t.target * 100), done / t.target * 100,
            label .. "安装" .. done .. "户÷" .. y .. "年核定任务" .. t.target .. "户", srcs[1], srcs[2], t.target_src)
        end
        trs[#trs + 1] = { label, cell, quota, share }
        any_quota = any_quota or t ~= nil
      end
    end
    -- without any quota the table would only repeat the sentence above
    if #trs > 0 and any_quota then
      table("表1　建档立卡贫困户电视信号户户通安装情况", { "年度", "安装户数", "核定任务数", "完成比例" }, trs,
        { "text", "number", "number", "number" })
    end
  end
end

-- ---- 三、驻村帮扶工作 -------------------------------------------------------------

if aided > 0 then
  section("驻村帮扶工作")
  local _, aided_src = ind("帮扶村数", UNIT_TODATE)
  local ntown, ntown_src = ind("帮扶乡镇数", UNIT_TODATE)
  local npoor, npoor_src = ind("帮扶贫困村数", UNIT_TODATE)
  local nnon, nnon_src = ind("帮扶非贫困村数", UNIT_TODATE)
  -- the aided villages, grouped by township in code order
  local towns, town_order = {}, {}
  for _, g in ipairs(nonzero(ind_by("帮扶村数", UNIT_TODATE, "village"))) do
    local v = region(g.key)
    local t = v.parent or ""
    if not towns[t] then towns[t] = {}; town_order[#town_order + 1] = t end
    local list = towns[t]
    list[#list + 1] = v
  end
  local groups = {}
  for _, t in ipairs(town_order) do
    local tname = t ~= "" and region(t).name or ""
    local list = towns[t]
    local names = {}
    for i, v in ipairs(list) do
      local nm = #list > 1 and strip_cun(v.name) or v.name
      if v.poor then nm = nm .. "（贫困村）" end
      names[i] = nm
    end
    groups[#groups + 1] = tname .. join(names) .. (#list > 1 and "行政村" or "")
  end
  local s = { WE .. "共驻村帮扶", fig(num(ntown, "个"), ntown_src), "乡镇", fig(num(aided, "个"), aided_src), "行政村" }
  if npoor > 0 and nnon > 0 then
    s[#s + 1] = "，其中贫困村"
    s[#s + 1] = fig(num(npoor, "个"), npoor_src)
    s[#s + 1] = "，非贫困村"
    s[#s + 1] = fig(num(nnon, "个"), nnon_src)
  elseif aided > 1 and npoor > 0 then
    s[#s + 1] = "，均为贫困村"
  elseif aided > 1 then
    s[#s + 1] = "，均为非贫困村"
  end
  s[#s + 1] = (aided > 1 and "，分别是" or "，即") .. join(groups, true)
  local cadres, cadres_src = ind("驻村干部人数", UNIT_TODATE)
  if cadres > 0 then
    local kinds = by_value(ind_by("驻村干部人数", UNIT_TODATE, "kind"))
    local named = {}
    local other = false
    for _, k in ipairs(kinds) do
      if k.label == "其他" then other = true else named[#named + 1] = k.label end
    end
    table.sort(named)
    local who = #named > 0 and (table.concat(named, "及") .. (other and "等" or "")) or "驻村"
    if who:sub(-#"干部") ~= "干部" then who = who .. "干部" end
    s[#s + 1] = "，共派驻" .. who
    s[#s + 1] = fig(num(cadres, "人"), cadres_src)
  end
  s[#s + 1] = "。"
  para(s)

  -- inputs: village equipment, village buildings, households
  local inputs = rows("aid_inputs", { ["帮扶单位"] = UNIT })
  local in_period = {}
  for _, r in ipairs(inputs) do
    if r["日期"] and r["日期"] <= P["end"] then in_period[#in_period + 1] = r end
  end
  local function select(pred)
    local out = {}
    for _, r in ipairs(in_period) do if pred(r) then out[#out + 1] = r end end
    return out
  end
  local kinds_of = function(list)
    local ks = {}
    for _, r in ipairs(list) do ks[#ks + 1] = r["类别"] end
    return distinct(ks)
  end
  local s3 = {}
  local equip, equip_src = ind("帮扶设备器材投入(万元)", UNIT_TODATE)
  if equip > 0 then
    local rowsq = select(function(r)
      return not r["户编号"] and (r["类别"] == "办公设备" or r["类别"] == "文体器材")
    end)
    local items, vill = {}, {}
    for _, r in ipairs(rowsq) do items[#items + 1] = item_name(r["内容"] or ""); vill[#vill + 1] = r["村代码"] end
    local nv = #distinct(vill)
    s3[#s3 + 1] = "在驻村帮扶过程中，" .. WE .. "先后投资"
    s3[#s3 + 1] = fig(money(equip, "万元"), equip_src)
    s3[#s3 + 1] = "为"
    if nv == aided then
      s3[#s3 + 1] = fig(num(nv, "个"), aided_src)
      s3[#s3 + 1] = "帮扶村全部配备了"
    else
      s3[#s3 + 1] = computed(num(nv, "个"), nv, "设备器材投入记录所涉村代码去重计数", equip_src)
      s3[#s3 + 1] = "帮扶村配备了"
    end
    -- every item bought is named: the list is complete, no 等
    s3[#s3 + 1] = table.concat(kinds_of(rowsq), "及") .. "（" .. join(distinct(items)) .. "）"
  end
  local build, build_src = ind("帮扶基础设施投入(万元)", UNIT_TODATE)
  if build > 0 then
    local rowsq = select(function(r) return not r["户编号"] and r["类别"] == "基础设施" end)
    local items, vill = {}, {}
    for _, r in ipairs(rowsq) do items[#items + 1] = item_name(r["内容"] or ""); vill[#vill + 1] = r["村代码"] end
    local vnames = {}
    for i, code in ipairs(distinct(vill)) do vnames[i] = region(code).name end
    s3[#s3 + 1] = (#s3 > 0 and "；" or "") .. "投资"
    s3[#s3 + 1] = fig(money(build, "万元"), build_src)
    s3[#s3 + 1] = "为" .. join(vnames) .. "修建了" .. join(distinct(items), true)
  end
  local home, home_src = ind("帮扶到户投入(万元)", UNIT_TODATE)
  if home > 0 then
    -- households helped, each counted once; the parts by 内容 count a
    -- household once per kind of help, so they add up to the total only
    -- when no household had two kinds: otherwise the text says so
    local nhh, nhh_src = ind("帮扶到户户数", UNIT_TODATE)
    local parts = ind_by("帮扶到户户数", UNIT_TODATE, "content")
    s3[#s3 + 1] = (#s3 > 0 and "；" or "") .. "投资"
    s3[#s3 + 1] = fig(money(home, "万元"), home_src)
    s3[#s3 + 1] = "帮助"
    s3[#s3 + 1] = fig(num(nhh, "户"), nhh_src)
    s3[#s3 + 1] = "贫困户改善生产生活条件"
    local listed = nonzero(parts)
    if #listed > 1 then
      s3[#s3 + 1] = sum(listed) > nhh and "，部分户享受多项帮扶，按帮扶内容分：" or "，其中"
      for i, g in ipairs(listed) do
        s3[#s3 + 1] = (i > 1 and "，" or "") .. g.label
        s3[#s3 + 1] = fig(num(g.value, "户"), g.src)
      end
    end
  end
  if #s3 > 0 then
    -- the closing claim holds only when every aided poor village's
    -- 贫困发生率 is below the exit threshold (metrics' village_exit rule);
    -- otherwise the sentence says the opposite; unknown rates: no claim
    local exit = AIDED_EXIT
    if exit and #exit.above == 0 and exit.poor > 0 then
      s3[#s3 + 1] = "，为确保全面打赢脱贫攻坚战打下了坚实的基础"
    elseif exit and #exit.above > 0 then
      s3[#s3 + 1] = "。但截至" .. exit.year .. "年底，" .. WE .. "帮扶的"
      for i, a in ipairs(exit.above) do
        s3[#s3 + 1] = (i > 1 and "，" or "") .. a.v.name .. "贫困发生率为"
        s3[#s3 + 1] = fig(pct(a.rate / 100, 2), a.src)
      end
      s3[#s3 + 1] = "，仍未降到退出标准"
      if exit.thr then
        s3[#s3 + 1] = "（"
        s3[#s3 + 1] = computed(num(exit.thr, "%"), exit.thr, "贫困村退出标准（" .. exit.basis .. "；data/village_exit_thresholds.tsv），与所列贫困发生率比较", exit.above[1].src)
        s3[#s3 + 1] = "）"
      end
      s3[#s3 + 1] = "以下，脱贫任务仍然艰巨"
    end
    s3[#s3 + 1] = "。"
    para(s3)
  end
end

-- ---- 四、扶贫政策文艺宣传及送戏下乡演出活动 ----------------------------------

if events_total > 0 then
  section("扶贫政策文艺宣传及送戏下乡演出活动")
  local shows, shows_src = ind("文艺宣传演出场次", TODATE)
  local s = { "为更好地宣传脱贫攻坚各项方针政策，激发贫困群众对幸福生活向往的内生动力，在志、智双扶方面" .. WE .. "也做了认真研究部署" }
  if shows > 0 then
    local progs = by_value(ind_by("文艺宣传演出场次", TODATE, "programme"))
    local forms = by_value(ind_by("文艺宣传演出场次", TODATE, "form"))
    local titles = {}
    for i, g in ipairs(progs) do titles[i] = "《" .. g.label .. "》" end
    if #titles > 0 then
      -- every programme performed is named: no 等
      s[#s + 1] = "，编排了扶贫政策文艺宣传节目" .. join(titles)
      -- "形式多样" only with three forms or more; every form is named
      if #forms > 2 then
        s[#s + 1] = "，演出形式多样，有" .. join(labels(forms), true)
      elseif #forms > 0 then
        s[#s + 1] = "，演出形式为" .. join(labels(forms), true)
      end
    end
    -- where the shows took place, from the places' levels
    local at = {}
    for _, r in ipairs(rows("cultural_events", { ["活动类型"] = "文艺宣传演出" }, R.region)) do
      if r["日期"] <= P["end"] then
        local v = region(r["地点区划代码"])
        if v then at[v.level] = true end
      end
    end
    local bases = {}
    if at["乡"] then bases[#bases + 1] = "乡镇文化站" end
    if at["村"] then bases[#bases + 1] = "文化服务中心" end
    s[#s + 1] = #bases > 0 and ("，并以" .. table.concat(bases, "和") .. "为依托，开展扶贫政策文艺宣传演出活动达")
      or "，开展扶贫政策文艺宣传演出活动达"
    s[#s + 1] = fig(approx(shows, "场次", "cn余", 1), shows_src)
  end
  -- the other kinds of events, named from the data
  local kinds = {}
  for _, g in ipairs(nonzero(ind_by("文化活动场次", TODATE, "kind"))) do kinds[g.key] = g end
  local also = {}
  if kinds["赛事活动"] then
    local contests = labels(by_value(ind_by("赛事活动场次", TODATE, "programme")))
    if #contests > 0 then also[#also + 1] = "举办了" .. join(contests, true) end
  end
  local tours = {}
  if kinds["送戏下乡"] then tours[#tours + 1] = "送戏" end
  if kinds["送电影下乡"] then tours[#tours + 1] = "送电影" end
  local works = {}
  if #tours > 0 then works[#works + 1] = join(tours) .. "下乡活动" end
  if kinds["农家书屋"] then
    local books = labels(by_value(ind_by("文化活动场次", { mode = "todate" }, "programme")))
    local wanted = {}
    for _, b in ipairs(books) do if b:find("农家书屋", 1, true) then wanted[#wanted + 1] = b end end
    if #wanted > 0 then works[#works + 1] = join(wanted) .. "工作" end
  end
  if #works > 0 then also[#also + 1] = "开展了" .. table.concat(works, "和") end
  if #also > 0 then
    s[#s + 1] = "，同时相继" .. table.concat(also, "，")
  end
  s[#s + 1] = "。"
  para(s)

  local years = nonzero(ind_by("文化活动场次", TODATE, "year"))
  local s2 = {}
  if #years > 0 then s2[#s2 + 1] = years[1].key .. "年以来，累计完成" end
  local drama, drama_src = ind("送戏下乡场次", TODATE)
  local film, film_src = ind("送电影下乡场次", TODATE)
  if drama > 0 then
    -- "贫困村送戏下乡" only when every show took place in a poor village
    local poor = {}
    for _, g in ipairs(ind_by("贫困村数", TODATE, "village")) do
      if g.value and g.value > 0 then poor[g.key] = true end
    end
    local all_poor = true
    for _, r in ipairs(rows("cultural_events", { ["活动类型"] = "送戏下乡" }, R.region)) do
      if r["日期"] <= P["end"] and not poor[r["地点区划代码"]] then all_poor = false; break end
    end
    s2[#s2 + 1] = (all_poor and "贫困村" or "") .. "送戏下乡活动"
    s2[#s2 + 1] = fig(hundreds(drama, "场次"), drama_src)
  end
  if film > 0 then
    s2[#s2 + 1] = (drama > 0 and "，" or "") .. "送电影下乡"
    s2[#s2 + 1] = fig(hundreds(film, "场次"), film_src)
  end
  local people, people_src = ind("文化活动受益人次", TODATE)
  if people > 0 then
    s2[#s2 + 1] = "，受益群众达"
    -- Arabic numerals, as the other counts of the sentence
    s2[#s2 + 1] = fig(approx(people, "人次", "多", 1), people_src)
  end
  if #s2 > 1 then
    -- what the events did, as far as the data shows it: people reached
    -- (受益人次) and the policy performances held (文艺宣传演出场次); the
    -- ledgers hold no 知晓率 or 幸福指数, so the report claims neither
    if people > 0 and shows > 0 then
      s2[#s2 + 1] = "，既丰富了群众的文化生活，又宣传了扶贫政策"
    elseif people > 0 then
      s2[#s2 + 1] = "，丰富了群众的文化生活"
    end
    s2[#s2 + 1] = "。"
    para(s2)
  end
end

-- ---- 五、存在的问题和下一步工作打算 --------------------------------------------

-- Each problem is a finding of the data (an indicator above zero, a target
-- not met, a village above the exit threshold); each plan answers one of
-- them, so 下一步 names no action the data does not call for.
local problems, plans = {}, {}
local AS_OF = "截至" .. P.end_words

do -- poor villages still without a centre
  local npoor, npoor_src = ind("贫困村数", TODATE)
  local built, built_src = ind("贫困村文化服务中心数", TODATE)
  if npoor > built then
    local names = {}
    for _, code in ipairs(explain("未建文化服务中心行政村数", TODATE)) do
      local v = region(code)
      if v and v.poor then names[#names + 1] = v.name end
    end
    local p = { "每个贫困村都要建有文化服务中心，" .. AS_OF .. WHOLE .. "还有",
      computed(num(npoor - built, "个"), npoor - built,
        "贫困村数" .. npoor .. "个－已建成文化服务中心的贫困村" .. built .. "个", npoor_src, built_src),
      "贫困村尚未建成" }
    if #names > 0 and #names <= 10 then p[#p + 1] = "（" .. join(names) .. "）" end
    problems[#problems + 1] = p
    plans[#plans + 1] = "督促尚未建成的贫困村尽快建成文化服务中心"
  end
end

if centres_total > 0 and missing_all > 0 then
  local _, missing_src = ind("未建或未达标行政村数", TODATE)
  local cover = target_of("村级文化服务中心覆盖率(%)", P.year)
  local p = {}
  if cover then
    p[#p + 1] = "按照" .. UNIT .. cover.year .. "年目标任务，文化服务中心覆盖率" .. cover.year .. "年底要达到"
    p[#p + 1] = target_fig(cover, num(cover.target, "%"))
    p[#p + 1] = "，"
  end
  p[#p + 1] = AS_OF .. WHOLE .. "还有"
  p[#p + 1] = fig(num(missing_all, "个"), missing_src)
  p[#p + 1] = "行政村未建设或不达标"
  problems[#problems + 1] = p
  plans[#plans + 1] = "加快推进未建设、未达标行政村的文化服务中心建设和提升改造，确保按期实现全覆盖"
end

do -- subsidy promised but not paid
  local owed, owed_src = ind("应拨未拨奖补(万元)", TODATE)
  if owed and owed > 0 then
    local years = nonzero(ind_by("应拨未拨奖补(万元)", TODATE, "year"))
    local built, std, paid, srcs, std_srcs, paid_srcs = 0, 0, 0, {}, {}, {}
    local ylist = {}
    for _, y in ipairs(years) do
      local at = { period = y.key }
      local n, n_src = ind("村级文化服务中心数", at)
      local a, a_src = ind("文化服务中心奖补标准(万元)", at)
      local b, b_src = ind("已拨付奖补(万元)", at)
      built, std, paid = built + n, std + a, paid + b
      srcs[#srcs + 1], std_srcs[#std_srcs + 1], paid_srcs[#paid_srcs + 1] = n_src, a_src, b_src
      ylist[#ylist + 1] = y.key
    end
    -- full years: "2018、2019年"
    -- "在" first: an item never opens on a year ("2.2018、2019年" reads as a decimal)
    local p = { "在" .. table.concat(ylist, "、") .. "年建成的", fig(num(built, "个"), table.unpack(srcs)), "文化服务中心中" }
    local each_std, each_paid = built > 0 and std / built or 0, built > 0 and paid / built or 0
    if built > 0 and each_std == math.floor(each_std * 100) / 100 and each_paid == math.floor(each_paid * 100) / 100 then
      -- every centre has the same standard: say it per centre, as a clerk
      -- would, each a figure of its own (the total ÷ the centres)
      local ys = table.concat(ylist, "、") .. "年"
      p[#p + 1] = "，每个需" .. KIND .. "财政奖补资金"
      local std_args, paid_args = { table.unpack(std_srcs) }, { table.unpack(paid_srcs) }
      for _, x in ipairs(srcs) do std_args[#std_args + 1] = x; paid_args[#paid_args + 1] = x end
      p[#p + 1] = computed(num(each_std, "万元"), each_std,
        ys .. "建成文化服务中心奖补标准合计" .. std .. "万元÷" .. built .. "个", table.unpack(std_args))
      p[#p + 1] = "，平均每个只拨付"
      p[#p + 1] = computed(num(each_paid, "万元"), each_paid,
        ys .. "建成文化服务中心已拨付奖补合计" .. paid .. "万元÷" .. built .. "个", table.unpack(paid_args))
    else
      p[#p + 1] = "，应拨" .. KIND .. "财政奖补资金"
      p[#p + 1] = fig(num(std, "万元"), table.unpack(std_srcs))
      p[#p + 1] = "，只拨付"
      p[#p + 1] = fig(num(paid, "万元"), table.unpack(paid_srcs))
    end
    p[#p + 1] = "，" .. AS_OF .. "尚有"
    p[#p + 1] = fig(num(owed, "万元"), owed_src)
    p[#p + 1] = "奖补资金未拨付到位，行政村对此压力较大"
    problems[#problems + 1] = p
    plans[#plans + 1] = "积极协调" .. KIND .. "财政尽快拨付文化服务中心奖补资金"
  end
end

if tv_total > 0 then
  local broken, broken_src = ind("户户通故障户数", TODATE)
  local p = {}
  if broken > 0 then
    local who = labels(by_value(ind_by("户户通故障户数", TODATE, "installer")))
    -- 状态 is the install's current state, not as of the period's end
    p[#p + 1] = "截至目前有"
    p[#p + 1] = fig(num(broken, "户"), broken_src)
    p[#p + 1] = "建档立卡贫困户的户户通设备处于故障状态，无法正常收看"
    if #who > 0 then
      plans[#plans + 1] = "督促" .. join(who, true) .. "加强户户通设备维修服务，指导贫困户正确使用电视信号"
    end
  end
  -- the same definition as in 二: the task covers the households still poor
  if TV_LEFT > 0 then
    p[#p + 1] = (#p > 0 and "；" or AS_OF) .. "未脱贫的建档立卡贫困户中还有"
    p[#p + 1] = fig(num(TV_LEFT, "户"), TV_LEFT_SRC)
    p[#p + 1] = "尚未安装电视信号户户通"
    plans[#plans + 1] = "对尚未安装户户通的未脱贫户逐户摸排，争取早日全部实现户户通"
  end
  if #p > 0 then problems[#problems + 1] = p end
end

-- the unit's aided poor villages above the exit threshold (see 三)
if AIDED_EXIT and #AIDED_EXIT.above > 0 then
  local p = { "按照" .. AIDED_EXIT.basis .. "，贫困村贫困发生率降到" }
  p[#p + 1] = AIDED_EXIT.thr and computed(num(AIDED_EXIT.thr, "%"), AIDED_EXIT.thr,
    "贫困村退出标准（" .. AIDED_EXIT.basis .. "；data/village_exit_thresholds.tsv），与所列贫困发生率比较", AIDED_EXIT.above[1].src) or "退出标准"
  p[#p + 1] = "以下方可退出，截至" .. AIDED_EXIT.year .. "年底" .. WE .. "帮扶的"
  local names = {}
  for i, a in ipairs(AIDED_EXIT.above) do
    p[#p + 1] = (i > 1 and "、" or "") .. a.v.name .. "贫困发生率为"
    p[#p + 1] = fig(pct(a.rate / 100, 2), a.src)
    names[i] = a.v.name
  end
  p[#p + 1] = "，尚未达到退出标准"
  problems[#problems + 1] = p
  plans[#plans + 1] = "加大对" .. join(names, true) .. "的帮扶力度，推动贫困发生率尽快降到退出标准以下"
end

do -- targets of the unit not met this year (those not already said above)
  local said = { ["村级文化服务中心覆盖率(%)"] = true, ["户户通安装户数"] = true }
  for _, t in ipairs(targets({ unit = UNIT, period = P })) do
    if t.failed and not said[t.indicator] and t.actual then
      local name = t.indicator:gsub("%(.-%)", "")
      local p = { P.words .. name .. "目标任务为", target_fig(t, num(t.target)), "，实际完成" }
      p[#p + 1] = fig(num(t.actual), t.src)
      p[#p + 1] = "，尚未完成"
      problems[#problems + 1] = p
      plans[#plans + 1] = "加快推进" .. name .. "目标任务"
    end
  end
end

if #problems > 0 then
  section("存在的问题和下一步工作打算")
  -- "取得了一定的成绩" only when the period shows work done (centres built,
  -- installs, aid or events to date)
  local done = centres_total > 0 or tv_total > 0 or aided > 0 or events_total > 0
  para("扶贫工作是一项极其重要的政治工作，在" .. KIND .. "委、" .. KIND .. "政府的正确领导及" .. STAFF .. "共同努力下，"
    .. (done and "扶贫工作虽然取得了一定的成绩，但仍然存在着一些不足：" or "扶贫工作仍然存在着一些不足："))
  -- third-level ordinals: "1."
  for i, p in ipairs(problems) do
    para(tostring(i) .. ".", p, "。")
  end
  if #plans > 0 then
    para("下一步，" .. WE .. "将" .. table.concat(plans, "；") .. "，为全面打赢脱贫攻坚战提供有力的文化支撑。")
  end
end

-- the 落款: the unit by its full name, dated by the period's end (or --date)
close(FULL)
