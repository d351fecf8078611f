-- investment.lua - 开放招商工作情况 (report B of domain.md §4) for a city over a
-- period (a month, a quarter, 上半年 or a year).
--
-- Every number and every name below comes from an evaluation; a problem is
-- written only when the data shows it. Projects count for their 责任单位
-- (rule 10), never for the county they are located in. Targets are yearly:
-- progress is measured from 1 January to the end of the period.
-- The API is described at the top of src/report/draft_api.c.

local R = report {
  kind = "investment",
  title = "开放招商工作情况",
  scope = { level = "市" },
  indicators = {
    "签约项目数", "签约项目总投资(亿元)", "引进3亿元以上项目数", "引进3亿元以上工业项目数",
    "落地项目数", "在谈项目数", "非主导产业签约项目数", "新建外资项目数",
    "实际利用外资(万美元)", "合同外资(万美元)", "增资合同外资(万美元)", "实际利用省外资金(万元)",
  },
  -- Figures the proofreader checks the text against (src/report/proofread.h):
  -- flows, stated from 1 January to the end of the period.
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
local WHOLE, OUR = "全" .. KIND, "我" .. KIND

-- The year-to-date window of the period: the period itself when it starts on
-- 1 January (a year, 上半年, the first quarter, January), otherwise its months.
local YTD_IS_PERIOD = P.start:sub(6) == "01-01"
local YTD_WORDS = YTD_IS_PERIOD and P.words or (P.year .. "年1至" .. P.months .. "月")

-- Value of an indicator from 1 January to the end of the period, with the
-- sources behind it for fig().
local function ytd(name, opts)
  opts = opts or {}
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  if YTD_IS_PERIOD then
    o.period = P
    return ind(name, o)
  end
  o.period = tostring(P.year)
  local total, srcs = 0, {}
  for _, g in ipairs(ind_by(name, o, "month")) do
    if g.key <= P["end"]:sub(1, 7) and g.value then
      total = total + g.value
      srcs[#srcs + 1] = g.src
    end
  end
  if #srcs == 0 then
    local _, s = ind(name, o)
    srcs[1] = s
  end
  return total, srcs
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

-- Projects by 项目编号, for names.
local PROJECTS = {}
for _, p in ipairs(rows("projects", nil, R.region)) do PROJECTS[p["项目编号"]] = p end
-- group and department projects may be located anywhere: add them by unit
for _, list in ipairs({ GROUPS, DEPTS }) do
  for _, u in ipairs(list) do
    for _, p in ipairs(rows("projects", { ["责任单位"] = u.name })) do PROJECTS[p["项目编号"]] = p end
  end
end
-- 项目编号 in sorted order: iterate this, never pairs(PROJECTS), so the text
-- does not depend on Lua's hash order
local PROJECT_KEYS = {}
for k in pairs(PROJECTS) do PROJECT_KEYS[#PROJECT_KEYS + 1] = k end
table.sort(PROJECT_KEYS)

local function project_names(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local p = PROJECTS[k]
    if p then out[#out + 1] = p["项目名称"] end
  end
  return out
end

local function count_words(n, measure) -- 七个, 24个
  if n >= 1 and n <= 10 then return count(n, measure) end
  return num(n, measure)
end

local function unit_word(indicator)
  if indicator:find("(万美元)", 1, true) then return "万美元" end
  if indicator:find("(万元)", 1, true) then return "万元" end
  if indicator:find("(%)", 1, true) then return "%" end
  return "个"
end

local function short_name(indicator)
  return (indicator:gsub("%(.-%)", ""))
end

-- "有的2个、有的3个" or "均为2个" for a list of counts.
local function spread(values, measure)
  local seen, list = {}, {}
  for _, v in ipairs(values) do
    if not seen[v] then seen[v] = true; list[#list + 1] = v end
  end
  table.sort(list)
  if #list == 1 then return "均为" .. num(list[1], measure) end
  local parts = {}
  for i, v in ipairs(list) do parts[i] = "有的" .. num(v, measure) end
  return table.concat(parts, "、")
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

local elapsed = P.months / 12

-- ---- title and progress ------------------------------------------------------

title(city.name .. P.words .. "开放招商工作情况")

local signed, signed_src = ind("签约项目数", { period = P })
local invest, invest_src = ind("签约项目总投资(亿元)", { period = P })
local big, big_src = ind("引进3亿元以上项目数", { period = P })
local landed, landed_src = ind("落地项目数", { period = P })

h1("一、开放招商工作进展情况")

do
  local s = { P.words .. "，" .. WHOLE .. "开放招商工作" }
  if signed > 0 or landed > 0 then
    s[#s + 1] = "取得一定成效，共签约项目"
    s[#s + 1] = fig(num(signed, "个"), signed_src)
    if invest and invest > 0 then
      s[#s + 1] = "，总投资"
      s[#s + 1] = fig(num(invest, "亿元", 1), invest_src)
    end
    if big > 0 then
      s[#s + 1] = "，其中3亿元以上项目"
      s[#s + 1] = fig(num(big, "个"), big_src)
    end
    if landed > 0 then
      s[#s + 1] = "；落地项目"
      s[#s + 1] = fig(num(landed, "个"), landed_src)
    else
      s[#s + 1] = "；本期还没有新落地的项目"
    end
  else
    s[#s + 1] = "还没有签约和落地的项目"
  end
  s[#s + 1] = "。"

  -- the landed projects, listed by county (the most first)
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
      s[#s + 1] = "引进落地了一批项目：" .. table.concat(bits, "；") .. "等一批项目相继签约、落地。"
    end
  end

  -- projects still being negotiated by the counties
  local talks = {}
  for _, u in ipairs(COUNTIES) do
    for _, k in ipairs(explain("在谈项目数", { unit = u.name })) do
      local p = PROJECTS[k]
      if p then talks[#talks + 1] = u.name .. p["项目名称"] end
    end
  end
  if #talks > 0 then
    local n, n_src = ind("在谈项目数", { region = R.region })
    s[#s + 1] = "同时，" .. join(talks) .. "等正在洽谈，"
    s[#s + 1] = WHOLE .. "在谈项目共"
    s[#s + 1] = fig(num(n, "个"), n_src)
    s[#s + 1] = "。"
  end
  para(s)
end

-- the same by county, as a table
do
  local header = { "县（区）", "签约项目数", "总投资（亿元）", "3亿元以上项目数", "落地项目数" }
  local rowsq = {}
  for _, u in ipairs(COUNTIES) do
    local o = { unit = u.name, period = P }
    local a, as = ind("签约项目数", o)
    local b, bs = ind("签约项目总投资(亿元)", o)
    local c, cs = ind("引进3亿元以上项目数", o)
    local d, ds = ind("落地项目数", o)
    rowsq[#rowsq + 1] = { u.name, fig(num(a), as), fig(num(b or 0, "", 1), bs), fig(num(c), cs), fig(num(d), ds) }
  end
  rowsq[#rowsq + 1] = { "合计", fig(num(signed), signed_src), fig(num(invest or 0, "", 1), invest_src),
    fig(num(big), big_src), fig(num(landed), landed_src) }
  table("表1　" .. P.words .. "各县（区）签约和落地项目情况", header, rowsq)
end

-- ---- problems ----------------------------------------------------------------

local problems = {}

-- 1. 大项目不多: ≥ 3亿 projects against the targets, and projects outside the leading industries
do
  local city_t = target_for(CITY_UNIT, "引进3亿元以上项目数")
  local n, n_src = ytd("引进3亿元以上项目数", { region = R.region })
  local county_vals, county_targets, short = {}, {}, false
  for _, u in ipairs(COUNTIES) do
    local t = target_for(u.name, "引进3亿元以上工业项目数")
    local v = ytd("引进3亿元以上工业项目数", { unit = u.name })
    county_vals[#county_vals + 1] = v
    if t then
      county_targets[#county_targets + 1] = t.target
      if v < t.target * elapsed then short = true end
    end
  end
  local lagging = city_t and n < city_t.target * elapsed
  if lagging or short then
    local s = { bold("大项目不多。"), "在产业发展中能够起到带动作用的招商引资项目还不多。" .. YTD_WORDS .. WHOLE .. "引进3亿元以上项目" }
    s[#s + 1] = fig(num(n, "个"), n_src)
    if city_t then
      s[#s + 1] = (lagging and "，仅为" or "，为") .. "全年目标任务" .. num(city_t.target, "个") .. "的"
      s[#s + 1] = frac(n, city_t.target)
    end
    if #county_vals > 0 then
      s[#s + 1] = "；各县（区）引进3亿元以上工业项目" .. spread(county_vals, "个")
      local same = true
      for _, t in ipairs(county_targets) do if t ~= county_targets[1] then same = false end end
      if #county_targets > 0 then
        s[#s + 1] = same and ("，距每个县（区）" .. num(county_targets[1], "个") .. "的目标任务还有较大差距")
          or "，距各自的目标任务还有较大差距"
      end
    end
    -- new projects outside the county's leading industries (rule 12)
    local off = {}
    for _, u in ipairs(COUNTIES) do
      local o = { unit = u.name }
      if YTD_IS_PERIOD then o.period = P else o.period = tostring(P.year) end
      for _, name in ipairs(project_names(explain("非主导产业签约项目数", o))) do
        local p = nil
        for _, key in ipairs(PROJECT_KEYS) do
          local q = PROJECTS[key]
          if q["项目名称"] == name and q["责任单位"] == u.name then p = q; break end
        end
        if not p or (p["签约日期"] or "") <= P["end"] then off[#off + 1] = u.name .. name end
      end
    end
    if #off > 0 then
      s[#s + 1] = "；有些新项目和主导产业关联度不大，如" .. join(off)
    end
    s[#s + 1] = "。"
    problems[#problems + 1] = s
  end
end

-- 2. 没有新上外资项目: new foreign projects, actual FDI against the target, zero counties, contracts
do
  local new_foreign = ytd("新建外资项目数", { region = R.region })
  local fdi, fdi_src = ytd("实际利用外资(万美元)", { region = R.region })
  local t = target_for(CITY_UNIT, "实际利用外资(万美元)")
  local behind = t and t.target > 0 and fdi < t.target * elapsed
  if new_foreign == 0 or behind then
    local s = { bold(new_foreign == 0 and "没有新上外资项目。" or "实际利用外资进度滞后。") }
    s[#s + 1] = YTD_WORDS .. WHOLE
    if new_foreign == 0 then s[#s + 1] = "没有新批外商投资企业，" end
    s[#s + 1] = "实际利用外资"
    s[#s + 1] = fig(num(fdi, "万美元"), fdi_src)
    if t and t.target > 0 then
      s[#s + 1] = (behind and "，仅为" or "，为") .. "目标任务的"
      s[#s + 1] = frac(fdi, t.target)
    end
    local zero = {}
    for _, u in ipairs(COUNTIES) do
      local v = ytd("实际利用外资(万美元)", { unit = u.name })
      if v == 0 then zero[#zero + 1] = u.name end
    end
    if #zero > 0 then
      s[#s + 1] = "；其中" .. join(zero) .. "实际利用外资为零"
    end
    s[#s + 1] = "。"
    local contract, contract_src = ytd("合同外资(万美元)", { region = R.region })
    local raise, raise_src = ytd("增资合同外资(万美元)", { region = R.region })
    if contract > 0 then
      s[#s + 1] = "合同利用外资"
      s[#s + 1] = fig(num(contract, "万美元"), contract_src)
      if raise >= contract then
        s[#s + 1] = "，全部为增资项目"
        if new_foreign == 0 then s[#s + 1] = "，没有新注册外资项目，后继增长乏力" end
      elseif raise > 0 then
        s[#s + 1] = "，其中增资项目"
        s[#s + 1] = fig(num(raise, "万美元"), raise_src)
      end
      s[#s + 1] = "。"
    else
      s[#s + 1] = "合同利用外资为零，后继增长乏力。"
    end
    problems[#problems + 1] = s
  end
end

-- 3. 县（区）之间差距较大: counties ranked by out-of-province capital, and landed projects
do
  local ranked = {}
  for _, u in ipairs(COUNTIES) do
    local v, src = ytd("实际利用省外资金(万元)", { unit = u.name })
    local l = ytd("落地项目数", { unit = u.name })
    ranked[#ranked + 1] = { name = u.name, v = v, src = src, landed = l }
  end
  table.sort(ranked, function(a, b)
    if a.v ~= b.v then return a.v > b.v end
    return a.name < b.name
  end)
  local hi, lo = ranked[1], ranked[#ranked]
  if #ranked >= 2 and hi.v > 0 and (lo.v == 0 or hi.v / lo.v >= 2) then
    local s = { bold("县（区）之间差距较大。"), "各地招商引资工作进展、资金到位、项目落地情况还不平衡。" .. YTD_WORDS .. "各县（区）实际利用省外资金由高到低依次为：" }
    for i, r in ipairs(ranked) do
      if i > 1 then s[#s + 1] = "、" end
      s[#s + 1] = r.name
      s[#s + 1] = fig(num(r.v, "万元"), r.src)
    end
    if lo.v > 0 then
      s[#s + 1] = "，最高的" .. hi.name .. "是最低的" .. lo.name .. "的" .. num(hi.v / lo.v, "", 1) .. "倍"
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
    if most and most.landed > 0 and #none > 0 then
      s[#s + 1] = "；落地项目最多的" .. most.name .. "有" .. num(most.landed, "个") .. "，而" .. join(none) .. "还没有落地项目"
    end
    s[#s + 1] = "。"
    problems[#problems + 1] = s
  end
end

-- 4. thematic groups and city departments that brought in nothing yet
do
  local function idle(list)
    local out = {}
    for _, u in ipairs(list) do
      if ytd("签约项目数", { unit = u.name }) == 0 then out[#out + 1] = u.name end
    end
    return out
  end
  local ig, idp = idle(GROUPS), idle(DEPTS)
  if #ig > 0 or #idp > 0 then
    local whom = {}
    if #GROUPS > 0 then whom[#whom + 1] = count_words(#GROUPS, "个") .. "专题招商组" end
    if #DEPTS > 0 then whom[#whom + 1] = "市直单位" end
    local s = { bold(table.concat(whom, "和") .. "招商活动效果还不好。") }
    local parts = {}
    if #ig > 0 then
      if #ig == #GROUPS then
        parts[#parts + 1] = count_words(#GROUPS, "个") .. "专题招商组均还没有签约项目"
      else
        parts[#parts + 1] = join(ig) .. "等" .. count_words(#ig, "个") .. "专题招商组还没有签约项目"
      end
    end
    if #idp > 0 then
      if #idp == #DEPTS then
        local tasked = 0
        for _, u in ipairs(DEPTS) do
          for _, t in ipairs(TARGETS) do
            if t.unit == u.name then tasked = tasked + 1; break end
          end
        end
        parts[#parts + 1] = (tasked == #DEPTS and "承担任务的" or "") .. num(#DEPTS, "个") .. "市直单位均还没有签约项目"
      else
        parts[#parts + 1] = num(#DEPTS, "个") .. "市直单位中有" .. num(#idp, "个") .. "还没有签约项目"
      end
    end
    s[#s + 1] = YTD_WORDS .. "，" .. table.concat(parts, "，")
    -- what they are negotiating
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
      s[#s + 1] = "，目前正在洽谈的有" .. join(talks) .. "等项目"
    end
    s[#s + 1] = "，招商引资任务还非常繁重。"
    problems[#problems + 1] = s
  end
end

if #problems > 0 then
  h1("二、存在的问题")
  para("整体上看，" .. YTD_WORDS .. OUR .. "招商引资工作还存在以下问题：")
  local ORD = { "一是", "二是", "三是", "四是", "五是", "六是" }
  for i, s in ipairs(problems) do
    table.insert(s, 1, ORD[i])
    para(s)
  end
end

-- ---- targets ---------------------------------------------------------------

h1((#problems > 0 and "三" or "二") .. "、目标任务完成情况")
para("按照全年目标任务，各县（区）、专题招商组和市直单位截至" .. P.end_words .. "的完成情况如下（完成数为" .. YTD_WORDS .. "累计）。")

-- "实际利用外资(万美元)" → "实际利用外资（万美元）", "引进3亿元以上工业项目数" → "引进3亿元以上工业项目（个）"
local function target_label(indicator)
  local w = unit_word(indicator)
  local base = short_name(indicator)
  if w == "个" then base = base:gsub("数$", "") end
  return base .. "（" .. w .. "）"
end

local function target_rows(list)
  local out = {}
  for _, u in ipairs(list) do
    local first = true
    for _, t in ipairs(TARGETS) do
      if t.unit == u.name then
        local w = unit_word(t.indicator)
        local actual
        if w == "%" then
          actual = t.actual and num(t.actual, "", 1) or "上年同期为零"
        else
          actual = t.actual and num(t.actual) or "—"
        end
        local progress = "—"
        if w ~= "%" and t.target > 0 and t.actual then progress = pct(t.actual / t.target, 1) end
        out[#out + 1] = { first and u.name or "", target_label(t.indicator), num(t.target), actual, progress, t.status }
        first = false
      end
    end
  end
  return out
end

local align = { "text", "text", "number", "number", "number", "center" }
local header = { "单位", "目标任务", "全年目标", "完成", "完成进度", "状态" }

-- the chart first: each county's ≥ 3亿 industrial projects against its target
do
  local cats, done, goal, any = {}, {}, {}, false
  for _, u in ipairs(COUNTIES) do
    local t = target_for(u.name, "引进3亿元以上工业项目数")
    cats[#cats + 1] = u.name
    done[#done + 1] = t and t.actual or ytd("引进3亿元以上工业项目数", { unit = u.name })
    goal[#goal + 1] = t and t.target or nil
    if t then any = true end
  end
  if #cats > 0 then
    local series = { { name = "已引进", values = done } }
    if any then series[2] = { name = "全年目标任务", values = goal, target = true } end
    chart("图1　各县（区）引进3亿元以上工业项目完成情况", "个", cats, series)
  end
end

local county_rows = target_rows(COUNTIES)
if #county_rows > 0 then
  table("表2　各县（区）目标任务完成情况", header, county_rows, align)
end
local other = {}
for _, r in ipairs(target_rows(GROUPS)) do other[#other + 1] = r end
for _, r in ipairs(target_rows(DEPTS)) do other[#other + 1] = r end
if #other > 0 then
  table("表3　专题招商组和市直单位目标任务完成情况", header, other, align)
end
