-- investment.lua - 开放招商工作情况 (report B of domain.md §4) for a city over a
-- period (a month, a quarter, a half year or a year).
--
-- The parts follow the seed speech: the period's figures with 同比 and the
-- projects landed by county; 存在的问题; 下一步工作意见 (明确目标任务, 突出招商
-- 重点, 创新招商方式). Every number comes from an evaluation (fig) or is
-- computed here from evaluations (calc). Every evaluative sentence is written
-- under a condition on the data, stated in a "-- when:" comment next to it;
-- where the data says the opposite the sentence says the opposite or is left
-- out. Projects count for their 责任单位 (rule 10). Targets are yearly and
-- judged by metrics against the time schedule (时序进度, targets()).
--
-- Windows: section 一 and 招商方式 are about the period itself (and the same
-- period a year before); problems, targets and 主导产业 are from 1 January to
-- the end of the period, named by WIN_WORDS. The 在谈 list is the ledger's
-- current state and says "截至目前".
-- The API is described at the top of src/report/draft_api.c.

local R = report {
  kind = "investment",
  title = "开放招商工作情况",
  scope = { level = "市" },
  indicators = {
    "签约项目数", "签约项目总投资(亿元)", "引进3亿元以上项目数", "引进3亿元以上工业项目数",
    "落地项目数", "在谈项目数", "非主导产业签约项目数", "新建外资项目数",
    "实际利用外资(万美元)", "合同外资(万美元)", "增资合同外资(万美元)", "实际利用省外资金(万元)",
    -- the indicators of the targets (targets() gives their sources)
    "实际利用外资增长率(%)", "实际利用省外资金增长率(%)", "引进1亿元以上项目数",
    "引进主导产业3亿元以上工业项目数", "引进5亿元以上工业项目数", "引进10亿元以上主导产业项目数",
  },
  -- Figures the proofreader checks the text against (src/report/proofread.h):
  -- flows from 1 January to the end of the period. The text states them over
  -- that window; a shorter period's own figures follow as "其中2015年5月…",
  -- which the proofreader reads as a part.
  facts = {
    { label = "合同利用外资", indicator = "合同外资(万美元)", window = "ytd" },
    { label = "实际利用外资", indicator = "实际利用外资(万美元)", window = "ytd" },
    { label = "实际利用省外资金", indicator = "实际利用省外资金(万元)", window = "ytd" },
    { label = "签约项目", indicator = "签约项目数", window = "ytd" },
    { label = "落地项目", indicator = "落地项目数", window = "ytd" },
  },
}
local P = R.period
local city = region(R.region)

-- ---- helpers ---------------------------------------------------------------

local function last_char(s)
  local n = utf8.len(s)
  return n and n > 0 and s:sub(utf8.offset(s, n)) or s
end
local KIND = last_char(city.name)
if KIND ~= "市" and KIND ~= "州" and KIND ~= "盟" then KIND = "市" end
local WHOLE = "全" .. KIND

-- The window from 1 January to the end of the period: the period itself when
-- it starts on 1 January; "2015年全年" when it ends on 31 December (2015-H2,
-- 2015-Q4, 2015-12); else "2015年1至9月".
local WIN_IS_PERIOD = P.start:sub(6) == "01-01"
local WIN_WORDS
if WIN_IS_PERIOD then
  WIN_WORDS = P.words
elseif P.months == 12 then
  WIN_WORDS = P.year .. "年全年"
else
  WIN_WORDS = P.year .. "年1至" .. P.months .. "月"
end
local PREV_YEAR = P.year - 1

-- A number in plain digits, never scaled to 万/亿 (tables, and amounts in a
-- list that must keep one unit): 27900 → "27900", 92.25 → "92.25".
local function digits(v)
  if v == math.floor(v) and math.abs(v) < 1e15 then return string.format("%d", math.floor(v)) end
  return (string.format("%.2f", v):gsub("0+$", ""):gsub("%.$", ""))
end

-- An amount in its ledger unit ("27900万元", not "2.79亿元"); counts as num() writes them.
local function qty(v, unit)
  if unit and unit:find("^万") then return digits(v) .. unit end
  return num(v, unit)
end

-- The sources of several lists in one list.
local function flat(lists)
  local out = {}
  for _, l in ipairs(lists) do
    for _, x in ipairs(l) do out[#out + 1] = x end
  end
  return out
end

-- The number as printed in text ("33.3%" → 33.3, "2/5" → 2, "下降2.9%" → -2.9,
-- "减少3个" → -3), for calc().
local function printed(text)
  local v = tonumber(text:match("%d+%.?%d*"))
  if v and (text:find("^下降") or text:find("^减少")) then v = -v end
  return v
end

-- A figure: fig() for one source, calc() with how for a sum of several.
local function figure(text, value, srcs, how)
  if #srcs == 1 then return fig(text, srcs[1]) end
  return calc(text, printed(text) or value, how, table.unpack(srcs))
end

-- Value of an indicator over the window of year y (P.year or the year before:
-- 1 January to the end of the period, mode "ytd"), with its sources.
local function win(name, opts, y)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.period = (y or P.year) == P.year and P.label or P.prev_year
  o.mode = "ytd"
  local v, s = ind(name, o)
  return v or 0, { s }
end

-- The keys behind an indicator over the window (this year).
local function win_keys(name, opts)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.period, o.mode = P.label, "ytd"
  local out = explain(name, o)
  table.sort(out)
  return out
end

-- Units of the city by kind, each kind in region-code order.
local UNITS = { ["县区"] = {}, ["专题招商组"] = {}, ["市直单位"] = {} }
do
  local all = rows("units", nil, R.region)
  table.sort(all, function(a, b)
    local ra, rb = a["所属区划代码"] or "", b["所属区划代码"] or ""
    if ra ~= rb then return ra < rb end
    return a["单位名称"] < b["单位名称"]
  end)
  for _, u in ipairs(all) do
    local list = UNITS[u["单位类型"]]
    if list then list[#list + 1] = { name = u["单位名称"], region = u["所属区划代码"] } end
  end
end
local COUNTIES, GROUPS, DEPTS = UNITS["县区"], UNITS["专题招商组"], UNITS["市直单位"]
-- the units that are not counties, by the kinds the city has
local OTHERS_WORDS = (#GROUPS > 0 and #DEPTS > 0) and "专题招商组和市直单位"
  or (#GROUPS > 0 and "专题招商组") or "市直单位"

-- Projects by 项目编号, for names.
local PROJECTS = {}
for _, p in ipairs(rows("projects", nil, R.region)) do PROJECTS[p["项目编号"]] = p end
-- group and department projects may be located anywhere: add them by unit
for _, list in ipairs({ GROUPS, DEPTS }) do
  for _, u in ipairs(list) do
    for _, p in ipairs(rows("projects", { ["责任单位"] = u.name })) do PROJECTS[p["项目编号"]] = p end
  end
end

local function project_names(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local p = PROJECTS[k]
    if p then out[#out + 1] = p["项目名称"] end
  end
  return out
end

local function unit_word(indicator)
  if indicator:find("(万美元)", 1, true) then return "万美元" end
  if indicator:find("(万元)", 1, true) then return "万元" end
  if indicator:find("(%)", 1, true) then return "%" end
  return "个"
end

-- "实际利用外资(万美元)" → "实际利用外资", "引进3亿元以上工业项目数" → "引进3亿元以上工业项目"
local function short_name(indicator)
  local s = indicator:gsub("%(.-%)", "")
  if unit_word(indicator) == "个" then s = s:gsub("数$", "") end
  return s
end

-- "实际利用外资增长率(%)" → "实际利用外资"
local function growth_name(indicator)
  return (short_name(indicator):gsub("增长率$", ""))
end

-- Targets of the period's year, by unit, and the city's own (region-wide).
local TARGETS = targets({ period = P })
local function target_for(unit, indicator)
  for _, t in ipairs(TARGETS) do
    if t.unit == unit and t.indicator == indicator then return t end
  end
  return nil
end
local CITY_UNIT = city.name

-- metrics' judgement (interface I1): behind = 滞后于序时进度 in-year, 未完成 at year end
local function is_behind(t) return t.failed == true end
local SCHEDULE = TARGETS[1] and TARGETS[1].schedule -- metrics' 时序进度 (nil: no targets)

-- the time schedule as printed, with its appendix entry
-- (its input: the yearly targets it applies to, the first of them standing for all)
local function schedule_fig()
  local text = pct(SCHEDULE, 1)
  return calc(text, printed(text),
    "时序进度：截至" .. P.end_words .. "已过" .. P.months .. "个月÷全年12个月，用于各项全年目标任务",
    TARGETS[1].target_src)
end

-- Progress of an additive target as printed ("33.3%"), or nil; fixed: always
-- one decimal ("38.0%", "0.0%"), for a table column, whose cells keep one precision.
local function progress_fig(t, fixed)
  if not t.progress then return nil end
  local w = unit_word(t.indicator)
  local text = fixed and string.format("%.1f%%", t.progress * 100) or pct(t.progress, 1)
  return calc(text, printed(text),
    short_name(t.indicator) .. "完成" .. qty(t.actual, w) .. "÷全年目标任务" .. qty(t.target, w),
    t.src, t.target_src)
end

local function behind_fig(t)
  local text = num(t.behind, "个百分点", 1)
  return calc(text, printed(text),
    "时序进度" .. pct(t.schedule, 1) .. "－完成进度" .. pct(t.progress, 1), t.src, t.target_src)
end

-- Growth over the same window of the year before: "增长44%" as a figure, or
-- "上年同期为零" when there is nothing to compare with; the ratio (nil then).
local function growth_fig(cur, cur_srcs, prev, prev_srcs)
  if not prev or prev == 0 then return "上年同期为零", nil end
  local r = (cur - prev) / prev
  local srcs = {}
  for _, s in ipairs(cur_srcs) do srcs[#srcs + 1] = s end
  for _, s in ipairs(prev_srcs) do srcs[#srcs + 1] = s end
  local text = growth(r, 1)
  return calc(text, printed(text) or 0, "（本期" .. digits(cur) .. "－上年同期" .. digits(prev) .. "）÷上年同期" .. digits(prev),
    table.unpack(srcs)), r
end

local ORD = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" }
local section = 0
local function next_h1(text)
  section = section + 1
  h1(ORD[section] .. "、" .. text)
end

-- The last month of the year with rows in the funds ledger (资金到位台账): when
-- it is before the period's end, the funds figures do not cover the period and
-- no sentence judges their trend.
local FUNDS_LAST = nil
do
  for _, name in ipairs({ "实际利用外资(万美元)", "实际利用省外资金(万元)" }) do
    for _, g in ipairs(ind_by(name, { period = tostring(P.year), region = R.region }, "month")) do
      if g.key <= P["end"]:sub(1, 7) and (not FUNDS_LAST or g.key > FUNDS_LAST) then FUNDS_LAST = g.key end
    end
  end
end
local FUNDS_COMPLETE = FUNDS_LAST ~= nil and FUNDS_LAST >= P["end"]:sub(1, 7)
local FUNDS_NOTE = ""
if FUNDS_LAST and not FUNDS_COMPLETE then
  FUNDS_NOTE = "（资金到位台账的数据截至" .. tonumber(FUNDS_LAST:sub(1, 4)) .. "年" .. tonumber(FUNDS_LAST:sub(6, 7)) .. "月）"
elseif not FUNDS_LAST then
  FUNDS_NOTE = "（资金到位台账尚无" .. P.year .. "年的数据）"
end

-- ---- title and the period's figures -------------------------------------------

title(city.name .. P.words .. "开放招商工作情况")

local PO = { period = P }
local PREV = { period = P.prev_year }
local signed, signed_src = ind("签约项目数", PO)
local invest, invest_src = ind("签约项目总投资(亿元)", PO)
local big, big_src = ind("引进3亿元以上项目数", PO)
local landed, landed_src = ind("落地项目数", PO)
invest = invest or 0

next_h1(P.words .. "开放招商工作情况")

-- The flows over the window and the same window a year before.
local FDI, FDI_SRCS = win("实际利用外资(万美元)", { region = R.region })
local FDI_PREV, FDI_PREV_SRCS = win("实际利用外资(万美元)", { region = R.region }, PREV_YEAR)
local DOM, DOM_SRCS = win("实际利用省外资金(万元)", { region = R.region })
local DOM_PREV, DOM_PREV_SRCS = win("实际利用省外资金(万元)", { region = R.region }, PREV_YEAR)

-- The headline: the window's flows with 同比 (for a period that starts on
-- 1 January the window is the period); then, when the period is shorter, the
-- period's own figures as a part of them ("其中2015年5月…").
do
  local s = { WIN_WORDS .. "，" .. WHOLE }
  local g_dom, r_dom = growth_fig(DOM, DOM_SRCS, DOM_PREV, DOM_PREV_SRCS)
  local g_fdi, r_fdi = growth_fig(FDI, FDI_SRCS, FDI_PREV, FDI_PREV_SRCS)
  local w_signed, w_signed_srcs = win("签约项目数", { region = R.region })
  local w_landed, w_landed_srcs = win("落地项目数", { region = R.region })
  -- when: something was signed or landed and neither headline flow fell year
  -- on year, the funds ledger covering the period
  local good = FUNDS_COMPLETE and (w_signed > 0 or w_landed > 0) and (r_dom == nil or r_dom >= 0)
    and (r_fdi == nil or r_fdi >= 0)
  -- when: both headline flows fell year on year, the funds ledger covering the period
  local bad = FUNDS_COMPLETE and r_dom ~= nil and r_fdi ~= nil and r_dom < 0 and r_fdi < 0
  if good then s[#s + 1] = "开放招商工作取得一定成效，" end
  if bad then s[#s + 1] = "开放招商工作形势严峻，" end
  s[#s + 1] = "实际利用省外资金"
  s[#s + 1] = figure(qty(DOM, "万元"), DOM, DOM_SRCS)
  s[#s + 1] = r_dom and "，同比" or "，"
  s[#s + 1] = g_dom
  s[#s + 1] = "；实际利用外资"
  s[#s + 1] = figure(qty(FDI, "万美元"), FDI, FDI_SRCS)
  s[#s + 1] = r_fdi and "，同比" or "，"
  s[#s + 1] = g_fdi
  s[#s + 1] = FUNDS_NOTE
  if not WIN_IS_PERIOD then
    local dom_p, dom_p_src = ind("实际利用省外资金(万元)", PO)
    local fdi_p, fdi_p_src = ind("实际利用外资(万美元)", PO)
    s[#s + 1] = "；其中" .. P.words .. "实际利用省外资金"
    s[#s + 1] = fig(qty(dom_p or 0, "万元"), dom_p_src)
    s[#s + 1] = "、实际利用外资"
    s[#s + 1] = fig(qty(fdi_p or 0, "万美元"), fdi_p_src)
  end
  s[#s + 1] = "。"

  -- projects: signed and landed over the window, then the period's part
  if w_signed > 0 then
    local w_invest, w_invest_srcs = win("签约项目总投资(亿元)", { region = R.region })
    local w_big, w_big_srcs = win("引进3亿元以上项目数", { region = R.region })
    s[#s + 1] = WHOLE .. "共签约项目"
    s[#s + 1] = figure(num(w_signed, "个"), w_signed, w_signed_srcs)
    s[#s + 1] = "，总投资"
    s[#s + 1] = figure(num(w_invest, "亿元", 1), w_invest, w_invest_srcs)
    if w_big > 0 then
      s[#s + 1] = "，其中3亿元以上项目"
      s[#s + 1] = figure(num(w_big, "个"), w_big, w_big_srcs)
    else
      s[#s + 1] = "，其中没有3亿元以上项目"
    end
  else
    s[#s + 1] = WHOLE .. "没有签约项目"
  end
  if w_landed > 0 then
    s[#s + 1] = "；落地项目"
    s[#s + 1] = figure(num(w_landed, "个"), w_landed, w_landed_srcs)
  else
    s[#s + 1] = "；没有新落地的项目"
  end
  if not WIN_IS_PERIOD then
    s[#s + 1] = "；其中" .. P.words .. "签约项目"
    s[#s + 1] = fig(num(signed, "个"), signed_src)
    s[#s + 1] = "、落地项目"
    s[#s + 1] = fig(num(landed, "个"), landed_src)
  end
  s[#s + 1] = "。"

  -- the period's landed projects, listed by county (the most first); the list is complete
  if landed > 0 then
    local lists = {}
    for _, u in ipairs(COUNTIES) do
      local n = ind("落地项目数", { unit = u.name, period = P })
      if n > 0 then
        local names = project_names(explain("落地项目数", { unit = u.name, period = P }))
        lists[#lists + 1] = { unit = u.name, n = n, names = names }
      end
    end
    table.sort(lists, function(a, b)
      if a.n ~= b.n then return a.n > b.n end
      return a.unit < b.unit
    end)
    if #lists > 0 then
      local bits = {}
      for i, l in ipairs(lists) do bits[i] = l.unit .. join(l.names) end
      s[#s + 1] = P.words .. "落地的项目有：" .. table.concat(bits, "；") .. "。"
    end
  end
  para(s)
end
-- projects being negotiated: the ledger's current state, every one named
do
  local talks = {}
  local keys = explain("在谈项目数", { region = R.region })
  table.sort(keys)
  for _, k in ipairs(keys) do
    local p = PROJECTS[k]
    if p then talks[#talks + 1] = (p["责任单位"] or "") .. p["项目名称"] end
  end
  if #talks > 0 then
    local n, n_src = ind("在谈项目数", { region = R.region })
    para({ "截至目前，" .. WHOLE .. "在谈项目", fig(num(n, "个"), n_src), "：" .. join(talks) .. "。" })
  end
end

-- the same by county, as a table; units that are not counties in one row
do
  local header = { "县（区）", "签约项目（个）", "总投资（亿元）", "3亿元以上项目（个）", "落地项目（个）" }
  local NAMES = { "签约项目数", "签约项目总投资(亿元)", "引进3亿元以上项目数", "落地项目数" }
  local DEC = { 0, 1, 0, 0 }
  local rowsq = {}
  for _, u in ipairs(COUNTIES) do
    local row = { u.name }
    for i, name in ipairs(NAMES) do
      local v, vs = ind(name, { unit = u.name, period = P })
      row[#row + 1] = fig(num(v or 0, "", DEC[i]), vs)
    end
    rowsq[#rowsq + 1] = row
  end
  local others, any = { OTHERS_WORDS }, false
  local totals = {}
  for i, name in ipairs(NAMES) do
    local total, srcs = 0, {}
    for _, list in ipairs({ GROUPS, DEPTS }) do
      for _, u in ipairs(list) do
        local v, vs = ind(name, { unit = u.name, period = P, region = false })
        total = total + (v or 0)
        srcs[#srcs + 1] = vs
      end
    end
    if total ~= 0 then any = true end
    totals[i] = { total, srcs }
  end
  if any then
    for i, t in ipairs(totals) do
      others[#others + 1] = figure(num(t[1], "", DEC[i]), t[1], t[2], "各" .. OTHERS_WORDS .. "合计")
    end
  end
  if any then rowsq[#rowsq + 1] = others end
  rowsq[#rowsq + 1] = { "合计", fig(num(signed), signed_src), fig(num(invest, "", 1), invest_src),
    fig(num(big), big_src), fig(num(landed), landed_src) }
  table("表1　" .. P.words .. "各县（区）签约和落地项目情况", header, rowsq,
    { "text", "number", "number", "number", "number" })
end

-- ---- 存在的问题 (over the window) -------------------------------------------------

local problems = {}

-- Big projects: against the city's yearly target, judged by the time schedule.
do
  local t = target_for(CITY_UNIT, "引进3亿元以上项目数")
  local n, n_srcs = win("引进3亿元以上项目数", { region = R.region })
  local all, all_srcs = win("签约项目数", { region = R.region })
  -- when: the city's target for ≥3亿 projects is behind the time schedule (or not met at year end)
  if t and is_behind(t) then
    local share = all > 0 and n / all or 0
    local s = {}
    -- when: fewer than half of the signed projects are ≥3亿 — 大项目不多; else say that
    -- most are big and only the count is short
    if share < 0.5 then
      s[#s + 1] = bold("大项目不多。")
      s[#s + 1] = "在产业发展中能够起到带动作用的招商引资项目还不多。"
    else
      s[#s + 1] = bold("3亿元以上项目数量滞后于序时进度。")
    end
    s[#s + 1] = WIN_WORDS .. "，" .. WHOLE .. "签约项目"
    s[#s + 1] = figure(num(all, "个"), all, all_srcs)
    s[#s + 1] = "，其中3亿元以上项目"
    s[#s + 1] = figure(num(n, "个"), n, n_srcs)
    if all > 0 then
      local srcs = {}
      for _, x in ipairs(n_srcs) do srcs[#srcs + 1] = x end
      for _, x in ipairs(all_srcs) do srcs[#srcs + 1] = x end
      s[#s + 1] = "，占"
      s[#s + 1] = calc(pct(share, 1), printed(pct(share, 1)), "3亿元以上项目" .. num(n, "个") .. "÷签约的项目" .. num(all, "个"),
        table.unpack(srcs))
    end
    s[#s + 1] = share < 0.5 and "；" or "，但"
    s[#s + 1] = "仅为全年目标任务"
    s[#s + 1] = fig(num(t.target, "个"), t.target_src)
    s[#s + 1] = "的"
    s[#s + 1] = progress_fig(t)
    if t.year_end then
      s[#s + 1] = "，未完成全年目标任务"
    else
      s[#s + 1] = "，低于时序进度"
      s[#s + 1] = schedule_fig()
    end
    -- the counties' ≥3亿 industrial projects, when they all fall short of their targets
    local vals, short, tgt = {}, 0, {}
    for _, u in ipairs(COUNTIES) do
      local c = target_for(u.name, "引进3亿元以上工业项目数")
      if c then
        vals[#vals + 1] = c
        if c.actual < c.target then short = short + 1 end
        tgt[c.target] = true
      end
    end
    local ntgt = 0
    for _ in pairs(tgt) do ntgt = ntgt + 1 end
    if #vals > 0 and short == #vals and ntgt == 1 then
      local lo, hi = vals[1], vals[1]
      for _, c in ipairs(vals) do
        if c.actual < lo.actual then lo = c end
        if c.actual > hi.actual then hi = c end
      end
      s[#s + 1] = "；各县（区）引进3亿元以上工业项目"
      if lo.actual == hi.actual then
        s[#s + 1] = "均为"
        s[#s + 1] = calc(num(lo.actual, "个"), lo.actual, "各县（区）引进3亿元以上工业项目数相同", lo.src)
      else
        s[#s + 1] = "最少的"
        s[#s + 1] = fig(num(lo.actual, "个"), lo.src)
        s[#s + 1] = "、最多的"
        s[#s + 1] = fig(num(hi.actual, "个"), hi.src)
      end
      s[#s + 1] = "，均未达到每个县（区）"
      s[#s + 1] = fig(num(vals[1].target, "个"), vals[1].target_src)
      s[#s + 1] = "的全年目标任务"
    end
    s[#s + 1] = "。"
    problems[#problems + 1] = s
  end
end

-- Signed projects outside the county's leading industries (rule 12).
do
  local off, srcs, n = {}, {}, 0
  for _, u in ipairs(COUNTIES) do
    local v, vs = win("非主导产业签约项目数", { unit = u.name })
    for _, x in ipairs(vs) do srcs[#srcs + 1] = x end
    n = n + v
    if v > 0 then
      for _, k in ipairs(win_keys("非主导产业签约项目数", { unit = u.name })) do
        local p = PROJECTS[k]
        if p then off[#off + 1] = u.name .. p["项目名称"] .. "（" .. (p["产业"] or "产业未填") .. "）" end
      end
    end
  end
  -- when: at least one county signed a project outside its leading industries
  if n > 0 then
    problems[#problems + 1] = { bold("有些新项目和主导产业关联度不大。"), WIN_WORDS .. "各县（区）签约的项目中，",
      figure(num(n, "个"), n, srcs, "各县（区）" .. WIN_WORDS .. "非主导产业签约项目合计"),
      "不属于所在县（区）的主导产业：" .. join(off) .. "。" }
  end
end

-- Foreign capital: new foreign enterprises, actual FDI against its target and
-- a year before, the counties at zero, contracts.
do
  local new_foreign = win("新建外资项目数", { region = R.region })
  local t = target_for(CITY_UNIT, "实际利用外资(万美元)")
  local behind = t and is_behind(t)
  local fell = FUNDS_COMPLETE and FDI_PREV > 0 and FDI < FDI_PREV
  -- when: no new foreign enterprise, or actual FDI behind the schedule, or fell year on year
  if new_foreign == 0 or behind or fell then
    local head = new_foreign == 0 and "没有新上外资项目。" or behind and "实际利用外资滞后于序时进度。"
      or "实际利用外资同比下降。"
    local s = { bold(head), WIN_WORDS .. "，" .. WHOLE }
    if new_foreign == 0 then s[#s + 1] = "没有新批外商投资企业，" end
    s[#s + 1] = "实际利用外资"
    s[#s + 1] = figure(qty(FDI, "万美元"), FDI, FDI_SRCS)
    local g = growth_fig(FDI, FDI_SRCS, FDI_PREV, FDI_PREV_SRCS)
    s[#s + 1] = FDI_PREV > 0 and "，同比" or "，"
    s[#s + 1] = g
    s[#s + 1] = FUNDS_NOTE
    if t and t.progress then
      s[#s + 1] = (behind and "，仅为" or "，为") .. "全年目标任务的"
      s[#s + 1] = progress_fig(t)
    end
    local zero = {}
    for _, u in ipairs(COUNTIES) do
      if win("实际利用外资(万美元)", { unit = u.name }) == 0 then zero[#zero + 1] = u.name end
    end
    -- when: some counties, not all, have no actual FDI; all: say so
    if #zero == #COUNTIES and #zero > 0 then
      s[#s + 1] = "；各县（区）实际利用外资均为零"
    elseif #zero > 0 then
      s[#s + 1] = "；其中" .. join(zero) .. "实际利用外资为零"
    end
    s[#s + 1] = "。"
    local contract, contract_srcs = win("合同外资(万美元)", { region = R.region })
    local raise, raise_srcs = win("增资合同外资(万美元)", { region = R.region })
    if contract > 0 then
      s[#s + 1] = "合同利用外资"
      s[#s + 1] = figure(qty(contract, "万美元"), contract, contract_srcs)
      if raise >= contract then
        s[#s + 1] = "，全部为增资项目"
        if new_foreign == 0 then s[#s + 1] = "，没有新注册外资项目" end
      elseif raise > 0 then
        s[#s + 1] = "，其中增资项目"
        s[#s + 1] = figure(qty(raise, "万美元"), raise, raise_srcs)
      end
      -- when: actual FDI fell year on year and no new foreign enterprise came
      if fell and new_foreign == 0 then s[#s + 1] = "，后继增长乏力" end
      s[#s + 1] = "。"
    elseif fell then
      s[#s + 1] = "合同利用外资为零，后继增长乏力。"
    else
      s[#s + 1] = "合同利用外资为零。"
    end
    problems[#problems + 1] = s
  end
end

-- Gaps between counties: out-of-province capital, highest against lowest.
do
  local ranked = {}
  for _, u in ipairs(COUNTIES) do
    local v, srcs = win("实际利用省外资金(万元)", { unit = u.name })
    local l = win("落地项目数", { unit = u.name })
    ranked[#ranked + 1] = { name = u.name, v = v, srcs = srcs, landed = l }
  end
  table.sort(ranked, function(a, b)
    if a.v ~= b.v then return a.v > b.v end
    return a.name < b.name
  end)
  local hi, lo = ranked[1], ranked[#ranked]
  -- when: the highest county has at least twice the lowest (or the lowest has none)
  if #ranked >= 2 and hi.v > 0 and (lo.v == 0 or hi.v / lo.v >= 2) then
    local s = { bold("县（区）之间差距较大。"), WIN_WORDS .. "各县（区）实际利用省外资金由高到低依次为：" }
    for i, r in ipairs(ranked) do
      if i > 1 then s[#s + 1] = "、" end
      s[#s + 1] = r.name
      s[#s + 1] = figure(qty(r.v, "万元"), r.v, r.srcs)
    end
    if lo.v > 0 then
      local srcs = {}
      for _, x in ipairs(hi.srcs) do srcs[#srcs + 1] = x end
      for _, x in ipairs(lo.srcs) do srcs[#srcs + 1] = x end
      local ratio = math.floor(hi.v / lo.v * 10 + 0.5) / 10
      s[#s + 1] = "，最高的" .. hi.name .. "是最低的" .. lo.name .. "的"
      s[#s + 1] = calc(num(ratio, "倍", 1), ratio,
        hi.name .. qty(hi.v, "万元") .. "÷" .. lo.name .. qty(lo.v, "万元"), table.unpack(srcs))
    end
    local most, none = nil, {}
    for _, r in ipairs(ranked) do
      if not most or r.landed > most.landed then most = r end
    end
    for _, u in ipairs(COUNTIES) do
      for _, r in ipairs(ranked) do
        if r.name == u.name and r.landed == 0 then none[#none + 1] = r.name end
      end
    end
    -- when: some counties landed projects and others none
    if most and most.landed > 0 and #none > 0 then
      local lv, lsrcs = win("落地项目数", { unit = most.name })
      s[#s + 1] = "；落地项目最多的" .. most.name .. "有"
      s[#s + 1] = figure(num(lv, "个"), lv, lsrcs)
      s[#s + 1] = "，而" .. join(none) .. "尚无落地项目"
    end
    s[#s + 1] = "。"
    problems[#problems + 1] = s
  end
end

-- Thematic groups and city departments with no signed project yet.
local IDLE_GROUPS, IDLE_DEPTS = {}, {}
local IDLE_SRCS = { ["专题招商组"] = {}, ["市直单位"] = {} }
local ALL_SRCS = { ["专题招商组"] = {}, ["市直单位"] = {} } -- one unit's 签约项目数 per entry
do
  local function idle(list, out, srcs, all)
    for _, u in ipairs(list) do
      local v, vs = win("签约项目数", { unit = u.name, region = false })
      all[#all + 1] = vs
      if v == 0 then
        out[#out + 1] = u.name
        srcs[#srcs + 1] = vs
      end
    end
  end
  idle(GROUPS, IDLE_GROUPS, IDLE_SRCS["专题招商组"], ALL_SRCS["专题招商组"])
  idle(DEPTS, IDLE_DEPTS, IDLE_SRCS["市直单位"], ALL_SRCS["市直单位"])
end

-- "7个专题招商组和24个市直单位均尚无签约项目",
-- "7个专题招商组均尚无签约项目，24个市直单位中有23个尚未签约"; nil when none is idle
local function idle_sentence()
  local kinds = { { "专题招商组", GROUPS, IDLE_GROUPS }, { "市直单位", DEPTS, IDLE_DEPTS } }
  local all, part = {}, {}
  for _, k in ipairs(kinds) do
    local kind, list, idle = k[1], k[2], k[3]
    local total = #idle > 0 and calc(num(#list, "个"), #list, "责任单位台账中单位类型为" .. kind .. "的单位个数",
      table.unpack(flat(ALL_SRCS[kind])))
    if #idle > 0 and #idle == #list then
      all[#all + 1] = { total, kind }
    elseif #idle > 0 then
      part[#part + 1] = { total, kind .. "中有",
        calc(num(#idle, "个"), #idle, kind .. "中" .. WIN_WORDS .. "签约项目数为零的单位个数",
          table.unpack(flat(IDLE_SRCS[kind]))) }
    end
  end
  if #all == 0 and #part == 0 then return nil end
  local s = {}
  for i, x in ipairs(all) do
    if i > 1 then s[#s + 1] = "和" end
    s[#s + 1] = x[1]
    s[#s + 1] = x[2]
  end
  if #all > 0 then s[#s + 1] = "均尚无签约项目" end
  for i, x in ipairs(part) do
    if i > 1 or #all > 0 then s[#s + 1] = "，" end
    for _, y in ipairs(x) do s[#s + 1] = y end
  end
  if #part > 0 then s[#s + 1] = (#all > 0 and "尚未签约" or "尚无签约项目") end
  return s
end

do
  local n_idle, n_all = #IDLE_GROUPS + #IDLE_DEPTS, #GROUPS + #DEPTS
  -- when: some group or department has no signed project; 效果还不好 when at least half have none
  if n_idle > 0 then
    local whom = {}
    if #GROUPS > 0 then whom[#whom + 1] = "专题招商组" end
    if #DEPTS > 0 then whom[#whom + 1] = "市直单位" end
    local poor = n_idle * 2 >= n_all
    local s = { bold(poor and (table.concat(whom, "和") .. "招商活动效果还不好。")
      or ("部分" .. table.concat(whom, "和") .. "尚无签约项目。")) }
    s[#s + 1] = WIN_WORDS .. "，"
    for _, x in ipairs(idle_sentence()) do s[#s + 1] = x end
    s[#s + 1] = "。"
    -- what they are negotiating: the ledger's current state, every one named
    local talks = {}
    for _, list in ipairs({ GROUPS, DEPTS }) do
      for _, u in ipairs(list) do
        for _, k in ipairs(explain("在谈项目数", { unit = u.name, region = false })) do
          local p = PROJECTS[k]
          if p then talks[#talks + 1] = p["项目名称"] .. "（" .. u.name .. "）" end
        end
      end
    end
    if #talks > 0 then
      s[#s + 1] = "截至目前，正在洽谈的有" .. join(talks) .. "。"
    end
    if poor then s[#s + 1] = "招商引资任务还非常繁重。" end
    problems[#problems + 1] = s
  end
end

if #problems > 0 then
  next_h1("存在的问题")
  para("整体上看，" .. WIN_WORDS .. "，" .. WHOLE .. "招商引资工作还存在以下问题：")
  for i, s in ipairs(problems) do
    table.insert(s, 1, ORD[i] .. "是")
    para(s)
  end
end

-- ---- 下一步工作意见 --------------------------------------------------------------

next_h1("下一步工作意见")
para("就下一步开放招商工作，提出以下几点意见：")

-- ---- （一）明确目标任务: who is behind the time schedule, and by how much

h2("（一）明确开放招商的目标任务")

-- "滞后于序时进度16.7个百分点" etc. for a target, as parts of a sentence
local function status_parts(t)
  local st = t.status
  if st == "已完成" then return { "，已完成全年目标任务" } end
  if st == "未完成" then return { "，未完成全年目标任务" } end
  if st == "超序时进度" then return { "，超过时序进度" } end
  if st == "达到序时进度" then return { "，达到时序进度" } end
  if st == "滞后于序时进度" then
    if t.behind then return { "，滞后于序时进度", behind_fig(t) } end
    return { "，滞后于序时进度" }
  end
  return {}
end

-- The actual of a growth target as printed: "增长44%", "下降100%", "上年同期为零".
local function growth_actual(t)
  if not t.actual then return "上年同期为零" end
  local text = growth(t.actual / 100, 1)
  return calc(text, printed(text) or 0, short_name(t.indicator) .. num(t.actual, "%", 1), t.src)
end

do
  local s = {}
  if #TARGETS == 0 then
    s[#s + 1] = "目标任务台账中尚无" .. P.year .. "年的目标任务。"
  elseif P.months == 12 then
    s[#s + 1] = "截至" .. P.end_words .. "，全年目标任务完成情况如下。"
  else
    s[#s + 1] = "全年目标任务按时序进度考核，截至" .. P.end_words .. "时序进度为"
    s[#s + 1] = schedule_fig()
    s[#s + 1] = "。"
  end
  -- when: the funds ledger stops before the period's end: the funds targets'
  -- progress is of the months it holds, and the text says so
  if FUNDS_LAST and not FUNDS_COMPLETE then
    s[#s + 1] = "资金到位台账的数据截至" .. tonumber(FUNDS_LAST:sub(1, 4)) .. "年" .. tonumber(FUNDS_LAST:sub(6, 7))
      .. "月，资金到位类目标任务的完成进度按已有数据计算。"
  end
  -- the city's own targets
  local first = true
  for _, t in ipairs(TARGETS) do
    if t.unit == CITY_UNIT then
      local nm = unit_word(t.indicator) == "%" and growth_name(t.indicator) or short_name(t.indicator)
      s[#s + 1] = first and (WHOLE .. nm) or ("；" .. nm)
      first = false
      if t.progress then
        s[#s + 1] = fig(qty(t.actual, unit_word(t.indicator)), t.src)
        s[#s + 1] = "，为全年目标任务"
        s[#s + 1] = fig(qty(t.target, unit_word(t.indicator)), t.target_src)
        s[#s + 1] = "的"
        s[#s + 1] = progress_fig(t)
      elseif unit_word(t.indicator) == "%" and not t.actual then
        s[#s + 1] = "上年同期为零，不计增速"
      elseif unit_word(t.indicator) == "%" then
        s[#s + 1] = "同比"
        s[#s + 1] = growth_actual(t)
        s[#s + 1] = "，目标任务为增长"
        s[#s + 1] = fig(num(t.target, "%"), t.target_src)
      else
        s[#s + 1] = fig(qty(t.actual, unit_word(t.indicator)), t.src)
        s[#s + 1] = "，全年目标任务"
        s[#s + 1] = fig(qty(t.target, unit_word(t.indicator)), t.target_src)
      end
      if unit_word(t.indicator) == "%" and not t.actual then
        -- no base: no judgement
      elseif unit_word(t.indicator) == "%" then
        -- when: a growth target: above, at or below the target rate
        if t.actual and t.actual > t.target then s[#s + 1] = "，高于目标增速"
        elseif t.actual and t.actual == t.target then s[#s + 1] = "，达到目标增速"
        else s[#s + 1] = "，低于目标增速" end
      else
        for _, x in ipairs(status_parts(t)) do s[#s + 1] = x end
      end
    end
  end
  if not first then s[#s + 1] = "。" end
  para(s)
end

-- the counties' targets, one sentence per target: who is behind
local COUNTY_INDICATORS = {}
do
  local seen = {}
  for _, t in ipairs(TARGETS) do
    if t.unit_kind == "县区" and not seen[t.indicator] then
      seen[t.indicator] = true
      COUNTY_INDICATORS[#COUNTY_INDICATORS + 1] = t.indicator
    end
  end
end

-- "睢阳区（滞后50个百分点）" or "睢县（上年同期为零）" for a county behind
local function behind_item(t)
  local out = { t.unit }
  if t.progress and t.behind then
    out[#out + 1] = "完成"
    out[#out + 1] = progress_fig(t)
    out[#out + 1] = "，滞后"
    out[#out + 1] = behind_fig(t)
  elseif t.progress then
    out[#out + 1] = "完成"
    out[#out + 1] = progress_fig(t)
  elseif unit_word(t.indicator) == "%" then
    out[#out + 1] = growth_actual(t)
  else
    out[#out + 1] = "完成"
    out[#out + 1] = fig(qty(t.actual, unit_word(t.indicator)), t.src)
  end
  out[#out + 1] = "）"
  return out
end

-- The counties of a list, those printed the same grouped: "睢阳区、睢县（均完成0%，滞后50个百分点）".
local function grouped_items(list)
  local groups, order = {}, {}
  for _, t in ipairs(list) do
    local key
    if t.progress then
      key = pct(t.progress, 1) .. "|" .. (t.behind and num(t.behind, "", 1) or "")
    else
      key = tostring(t.actual)
    end
    if not groups[key] then
      groups[key] = { units = {}, first = t }
      order[#order + 1] = key
    end
    local g = groups[key].units
    g[#g + 1] = t.unit
  end
  local out = {}
  for i, key in ipairs(order) do
    local g = groups[key]
    local item = behind_item(g.first)
    if i > 1 then out[#out + 1] = "、" end
    out[#out + 1] = join(g.units, false) .. (#g.units > 1 and "（均" or "（")
    for j = 2, #item do out[#out + 1] = item[j] end
  end
  return out
end

do
  local n = 0
  for _, indicator in ipairs(COUNTY_INDICATORS) do
    local list, behind, done = {}, {}, {}
    for _, u in ipairs(COUNTIES) do
      local t = target_for(u.name, indicator)
      if t then
        list[#list + 1] = t
        if is_behind(t) then behind[#behind + 1] = t end
        if t.status == "已完成" then done[#done + 1] = t end
      end
    end
    local name = short_name(indicator)
    local s = {}
    if #list > 0 and indicator:find("^力争") then
      -- when: a 力争 target — shown, never failed: who has reached it
      s[#s + 1] = name .. "，"
      if #done == 0 then
        s[#s + 1] = "各县（区）均尚未实现"
      else
        local names = {}
        for _, t in ipairs(done) do names[#names + 1] = t.unit end
        s[#s + 1] = "已实现的有" .. join(names)
      end
    elseif #list > 0 and unit_word(indicator) == "%" then
      -- when: a growth target: the counties below the target rate, each with its rate
      local low, nocmp = {}, {}
      for _, t in ipairs(list) do
        if not t.actual then nocmp[#nocmp + 1] = t.unit
        elseif t.actual < t.target then low[#low + 1] = t end
      end
      name = growth_name(indicator) .. "增长"
      if #low == 0 and #nocmp == #list then
        s[#s + 1] = name .. "，各县（区）上年同期均为零，不计增速"
        nocmp = {}
      elseif #low == 0 then
        s[#s + 1] = name .. "，" .. (#nocmp > 0 and "可比的" or "") .. "各县（区）均达到目标增速"
      else
        s[#s + 1] = name .. "，低于目标增速"
        s[#s + 1] = fig(num(list[1].target, "%"), list[1].target_src)
        s[#s + 1] = "的有"
        s[#s + 1] = calc(num(#low, "个"), #low, "各县（区）" .. name .. "低于目标增速的个数", low[1].src)
        s[#s + 1] = "县（区）："
        for _, x in ipairs(grouped_items(low)) do s[#s + 1] = x end
      end
      if #nocmp > 0 then
        s[#s + 1] = "；" .. join(nocmp) .. "上年同期为零，不计增速"
      end
    elseif #list > 0 and #behind == 0 then
      -- when: no county is behind (or short at year end)
      if #done == #list then
        s[#s + 1] = name .. "，各县（区）均已完成全年目标任务"
      else
        s[#s + 1] = name .. "，各县（区）均达到或超过时序进度"
      end
    elseif #behind > 0 then
      -- when: some counties are behind: name each, with how far
      local word = P.months == 12 and "未完成全年目标任务" or "滞后于序时进度"
      s[#s + 1] = name .. "，" .. word .. "的有"
      s[#s + 1] = calc(num(#behind, "个"), #behind, "各县（区）" .. name .. "目标任务中状态为" .. word .. "的个数",
        behind[1].src)
      s[#s + 1] = "县（区）："
      for _, x in ipairs(grouped_items(behind)) do s[#s + 1] = x end
    end
    if #s > 0 then
      n = n + 1
      table.insert(s, 1, n .. ".")
      s[#s + 1] = "。"
      para(s)
    end
  end
end

-- The compact target tables: one row per county, a column (or three) per target.
do
  local money, counts = {}, {}
  for _, indicator in ipairs(COUNTY_INDICATORS) do
    local w = unit_word(indicator)
    if w == "万美元" or w == "万元" then money[#money + 1] = indicator
    elseif w == "个" then counts[#counts + 1] = indicator end
  end
  local when = "（截至" .. P.end_words .. "）"
  if #money > 0 then
    local header, align, rowsq = { "县（区）" }, { "text" }, {}
    -- short headers (column widths follow the longest text), the units in the caption
    local units = {}
    for _, indicator in ipairs(money) do
      local nm, w = short_name(indicator):gsub("^实际利用", ""), unit_word(indicator)
      header[#header + 1] = nm .. "目标"
      header[#header + 1] = nm .. "完成"
      header[#header + 1] = "完成进度"
      units[#units + 1] = nm .. "：" .. w
      for _ = 1, 3 do align[#align + 1] = "number" end
    end
    for _, u in ipairs(COUNTIES) do
      local row = { u.name }
      for _, indicator in ipairs(money) do
        local t = target_for(u.name, indicator)
        if t then
          row[#row + 1] = fig(digits(t.target), t.target_src)
          row[#row + 1] = fig(digits(t.actual), t.src)
          row[#row + 1] = progress_fig(t, true) or "—"
        else
          row[#row + 1], row[#row + 1], row[#row + 1] = "—", "—", "—"
        end
      end
      rowsq[#rowsq + 1] = row
    end
    table("表2　各县（区）资金到位目标任务完成情况（" .. table.concat(units, "，") .. "；截至" .. P.end_words .. "）",
      header, rowsq, align)
  end
  if #counts > 0 then
    local header, align, rowsq = { "县（区）" }, { "text" }, {}
    for _, indicator in ipairs(counts) do
      -- "3亿元以上工业", "力争10亿元以上主导产业": the caption says 引进项目
      local h = short_name(indicator):gsub("^引进", ""):gsub("^力争引进", "力争"):gsub("项目$", "")
      header[#header + 1] = h
      align[#align + 1] = "number"
    end
    for _, u in ipairs(COUNTIES) do
      local row = { u.name }
      for _, indicator in ipairs(counts) do
        local t = target_for(u.name, indicator)
        if t then
          row[#row + 1] = calc(digits(t.actual) .. "/" .. digits(t.target), t.actual,
            "完成" .. num(t.actual, "个") .. "/全年目标任务" .. num(t.target, "个"), t.src, t.target_src)
        else
          row[#row + 1] = "—"
        end
      end
      rowsq[#rowsq + 1] = row
    end
    table("表3　各县（区）引进项目目标任务完成情况（完成数/全年目标，个；截至" .. P.end_words .. "）",
      header, rowsq, align)
  end
end

-- the chart: each county's ≥ 3亿 industrial projects against its target
do
  local cats, done, goal, any = {}, {}, {}, false
  for _, u in ipairs(COUNTIES) do
    local t = target_for(u.name, "引进3亿元以上工业项目数")
    if t then
      cats[#cats + 1] = u.name
      done[#done + 1] = t.actual
      goal[#goal + 1] = t.target
      any = true
    end
  end
  if any then
    chart("图1　各县（区）引进3亿元以上工业项目完成情况", "个", cats,
      { { name = "已引进", values = done }, { name = "全年目标任务", values = goal, target = true } })
  end
end

-- Thematic groups and departments: the units with progress in a table, those
-- with none in a sentence; every unit's targets in the table after the body.
local function unit_target_rows(list, only)
  local out = {}
  for _, u in ipairs(list) do
    if not only or only[u.name] then
      local first = true
      for _, t in ipairs(TARGETS) do
        if t.unit == u.name then
          out[#out + 1] = { first and u.name or "", short_name(t.indicator),
            fig(digits(t.target), t.target_src), fig(digits(t.actual), t.src), t.status }
          first = false
        end
      end
    end
  end
  return out
end

-- short headers: the columns are as wide as their longest text; counts in 个 (the captions say so)
local UNIT_HEADER = { "单位", "目标任务", "目标数", "完成数", "状态" }
local UNIT_ALIGN = { "text", "text", "number", "number", "center" }
-- the full table of every group's and department's targets is an attachment
-- after the 落款: the first, so 附件1 when the 数据来源 of --appendix follows
-- it (GB/T 9704-2012 7.3.4 numbers attachments only when there are several)
local UNIT_ATTACHMENT = R.appendix and "附件1" or "附件"
do
  local busy, nbusy = {}, 0
  local idle = {}
  for _, x in ipairs(IDLE_GROUPS) do idle[x] = true end
  for _, x in ipairs(IDLE_DEPTS) do idle[x] = true end
  for _, list in ipairs({ GROUPS, DEPTS }) do
    for _, u in ipairs(list) do
      if not idle[u.name] then busy[u.name] = true; nbusy = nbusy + 1 end
    end
  end
  if #GROUPS + #DEPTS > 0 then
    -- the targets of the groups and departments: how many, how many behind
    local nt, nb, srcs = 0, 0, {}
    for _, list in ipairs({ GROUPS, DEPTS }) do
      for _, u in ipairs(list) do
        for _, t in ipairs(TARGETS) do
          if t.unit == u.name then
            nt = nt + 1
            srcs[#srcs + 1] = t.target_src
            if is_behind(t) then nb = nb + 1 end
          end
        end
      end
    end
    local n = #COUNTY_INDICATORS + 1
    local s = { n .. "." .. OTHERS_WORDS .. "的目标任务。" }
    if nt > 0 then
      s[#s + 1] = OTHERS_WORDS .. "共承担目标任务"
      s[#s + 1] = calc(num(nt, "项"), nt, OTHERS_WORDS .. "的目标任务项数", table.unpack(srcs))
      local word = P.months == 12 and "未完成" or "滞后于序时进度"
      if nb == nt then
        s[#s + 1] = "，均" .. word
      elseif nb > 0 then
        s[#s + 1] = "，其中" .. word .. "的"
        s[#s + 1] = calc(num(nb, "项"), nb, "状态为" .. word .. "的目标任务项数", table.unpack(srcs))
      else
        s[#s + 1] = "，均达到或超过时序进度"
      end
      s[#s + 1] = "；"
    end
    local idle_s = idle_sentence()
    if idle_s then
      s[#s + 1] = WIN_WORDS .. "，"
      for _, x in ipairs(idle_s) do s[#s + 1] = x end
    else
      s[#s + 1] = WIN_WORDS .. "各单位均已有签约项目"
    end
    s[#s + 1] = "。"
    if nt > 0 then s[#s + 1] = "各单位目标任务完成情况见" .. UNIT_ATTACHMENT .. "。" end
    para(s)
    if nbusy > 0 then
      local rowsq = {}
      for _, r in ipairs(unit_target_rows(GROUPS, busy)) do rowsq[#rowsq + 1] = r end
      for _, r in ipairs(unit_target_rows(DEPTS, busy)) do rowsq[#rowsq + 1] = r end
      if #rowsq > 0 then
        table("表4　已有签约项目的" .. OTHERS_WORDS .. "目标任务完成情况（个）", UNIT_HEADER, rowsq, UNIT_ALIGN)
      end
    end
  end
end

-- ---- （二）突出招商重点: each county's leading industries and its projects

h2("（二）突出开放招商的重点")
do
  for _, u in ipairs(COUNTIES) do
    local r = region(u.region)
    local inds = r.industries or {}
    local all, all_srcs = win("签约项目数", { unit = u.name })
    local off, off_srcs = win("非主导产业签约项目数", { unit = u.name })
    local s = {}
    if #inds > 0 then
      s[#s + 1] = u.name .. "要围绕" .. join(inds) .. "产业招商。"
    else
      s[#s + 1] = u.name .. "的主导产业尚未在区划台账中填写。"
    end
    if all == 0 then
      s[#s + 1] = WIN_WORDS .. "尚无签约项目。"
    else
      local keys = win_keys("签约项目数", { unit = u.name })
      local offk = {}
      for _, k in ipairs(win_keys("非主导产业签约项目数", { unit = u.name })) do offk[k] = true end
      local lead_names, off_names = {}, {}
      for _, k in ipairs(keys) do
        local p = PROJECTS[k]
        if p then
          if offk[k] then
            off_names[#off_names + 1] = p["项目名称"] .. "（" .. (p["产业"] or "产业未填") .. "）"
          else
            lead_names[#lead_names + 1] = p["项目名称"]
          end
        end
      end
      s[#s + 1] = WIN_WORDS .. "签约的"
      s[#s + 1] = figure(num(all, "个"), all, all_srcs)
      local lead = all - off
      if #inds == 0 then
        s[#s + 1] = "项目：" .. join(lead_names)
      elseif off == 0 then
        s[#s + 1] = (all == 1 and "项目属于主导产业：" or "项目均属于主导产业：") .. join(lead_names)
      elseif lead == 0 then
        s[#s + 1] = (all == 1 and "项目不属于主导产业：" or "项目均不属于主导产业：") .. join(off_names)
      else
        local srcs = {}
        for _, x in ipairs(all_srcs) do srcs[#srcs + 1] = x end
        for _, x in ipairs(off_srcs) do srcs[#srcs + 1] = x end
        s[#s + 1] = "项目中，主导产业项目"
        s[#s + 1] = calc(num(lead, "个"), lead, "签约的项目" .. num(all, "个") .. "－其中不属于主导产业的" .. num(off, "个"),
          table.unpack(srcs))
        s[#s + 1] = "：" .. join(lead_names) .. "；主导产业以外的项目"
        s[#s + 1] = figure(num(off, "个"), off, off_srcs)
        s[#s + 1] = "：" .. join(off_names)
      end
      s[#s + 1] = "。"
    end
    para(s)
  end
end

-- ---- （三）招商方式: what each channel brought in this period, compared

h2("（三）创新招商方式")
do
  local o = { period = P, region = R.region }
  local cur = ind_by("签约项目数", o, "channel")
  local inv = ind_by("签约项目总投资(亿元)", o, "channel")
  local prev = ind_by("签约项目数", { period = P.prev_year, region = R.region }, "channel")
  local inv_by, prev_by = {}, {}
  for _, g in ipairs(inv) do inv_by[g.key] = g end
  for _, g in ipairs(prev) do prev_by[g.key] = g end
  local list = {}
  for _, g in ipairs(cur) do
    if g.value and g.value > 0 then list[#list + 1] = g end
  end
  table.sort(list, function(a, b)
    if a.value ~= b.value then return a.value > b.value end
    return a.key < b.key
  end)
  if #list == 0 then
    para(P.words .. WHOLE .. "没有签约项目。要通过以商招商、老乡招商、商会招商和业务招商等多种方式拓宽项目来源。")
  else
    local s = { P.words .. WHOLE .. "签约的", fig(num(signed, "个"), signed_src), "项目中，" }
    for i, g in ipairs(list) do
      if i > 1 then s[#s + 1] = "，" end
      s[#s + 1] = (g.label or g.key)
      s[#s + 1] = fig(num(g.value, "个"), g.src)
      local v = inv_by[g.key]
      if v and v.value then
        s[#s + 1] = "、总投资"
        s[#s + 1] = fig(num(v.value, "亿元", 1), v.src)
      end
    end
    s[#s + 1] = "。"
    -- when: one channel brought more projects than any other
    if #list >= 2 and list[1].value > list[2].value and list[1].key ~= "其他" then
      local top = list[1]
      s[#s + 1] = (top.label or top.key) .. "引进项目最多，占"
      s[#s + 1] = calc(pct(top.value / signed, 1), printed(pct(top.value / signed, 1)),
        (top.label or top.key) .. num(top.value, "个") .. "÷" .. P.words .. "签约的项目" .. num(signed, "个"), top.src, signed_src)
      s[#s + 1] = "。"
    end
    -- compared with the same period a year before, channel by channel
    local cmp = {}
    local keys, seen = {}, {}
    for _, g in ipairs(list) do keys[#keys + 1] = g.key; seen[g.key] = true end
    for _, g in ipairs(prev) do
      if not seen[g.key] and g.value and g.value > 0 then keys[#keys + 1] = g.key; seen[g.key] = true end
    end
    local cur_by = {}
    for _, g in ipairs(cur) do cur_by[g.key] = g end
    for _, k in ipairs(keys) do
      local a, b = cur_by[k], prev_by[k]
      local av, bv = a and a.value or 0, b and b.value or 0
      if av ~= bv and b then
        local srcs = { b.src }
        if a then srcs[2] = a.src end
        cmp[#cmp + 1] = { k .. change(av - bv, "个"), av - bv, srcs, k }
      end
    end
    if #cmp > 0 then
      s[#s + 1] = "与上年同期相比，"
      for i, c in ipairs(cmp) do
        if i > 1 then s[#s + 1] = "，" end
        s[#s + 1] = c[4]
        local text = change(c[2], "个")
        s[#s + 1] = calc(text, printed(text), c[4] .. "本期－上年同期", table.unpack(c[3]))
      end
      s[#s + 1] = "。"
    end
    para(s)
    -- the channels that brought least: named with the advice
    local few = {}
    for _, g in ipairs(list) do
      if g.value * #list < signed and g.key ~= "其他" then few[#few + 1] = g.label or g.key end
    end
    local t = {}
    -- when: one channel (not 其他) brought the most
    if #list >= 2 and list[1].value > list[2].value and list[1].key ~= "其他" then
      t[#t + 1] = "要总结推广" .. (list[1].label or list[1].key) .. "的做法"
    end
    -- when: some channels brought fewer than an even share
    if #few > 0 then
      t[#t + 1] = (#t > 0 and "；" or "") .. join(few) .. "引进项目较少，要进一步拓宽渠道"
    end
    if #t > 0 then
      t[#t + 1] = "。"
      para(t)
    end
  end
end

-- the 落款 (署名 and 成文日期, interface I3); the 附件说明 line comes before it
close()

-- 附件: the full table of the groups' and departments' targets (the body
-- summarises it in a sentence and tabulates only the units with a project)
if #GROUPS + #DEPTS > 0 then
  local rowsq = {}
  for _, r in ipairs(unit_target_rows(GROUPS)) do rowsq[#rowsq + 1] = r end
  for _, r in ipairs(unit_target_rows(DEPTS)) do rowsq[#rowsq + 1] = r end
  if #rowsq > 0 then
    attachment(OTHERS_WORDS .. "目标任务完成情况")
    table("截至" .. P.end_words .. "（个）", UNIT_HEADER, rowsq, UNIT_ALIGN)
  end
end
