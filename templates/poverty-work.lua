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
    "帮扶村数", "帮扶乡镇数", "帮扶贫困村数", "帮扶非贫困村数", "驻村干部人数",
    "帮扶到户投入(万元)", "帮扶基础设施投入(万元)", "帮扶设备器材投入(万元)",
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
    -- the centres built in the years whose subsidy is still owed: "18、19年建成的"
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

-- Counts of things: 1 and 2 in Chinese (一个, 两个), larger ones in Arabic
-- numerals, as the seed writes "两个乡7个行政村".
local function small(n, measure)
  if n >= 1 and n <= 2 then return count(n, measure) end
  return num(n, measure)
end

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

local centres_total = ind("村级文化服务中心数", TODATE)
local tv_total = ind("户户通安装户数", TODATE)
local aided = ind("帮扶村数", UNIT_TODATE)
local events_total = ind("文化活动场次", TODATE)

title(FULL .. "精准扶贫工作汇报", "（截至" .. P.end_words .. "）")

do
  local works = {}
  if centres_total > 0 then works[#works + 1] = WHOLE .. "行政村综合性文化服务中心建设" end
  if tv_total > 0 then works[#works + 1] = "建档立卡贫困户电视信号户户通项目" end
  if aided > 0 then works[#works + 1] = "驻村帮扶工作" end
  local also = ""
  if events_total > 0 then also = "，组织实施了扶贫政策文艺宣传、送戏送电影下乡等助力脱贫攻坚工作" end
  local listed = #works > 1 and (join({ table.unpack(works, 1, #works - 1) }) .. "及" .. works[#works]) or works[1]
  local did = #works > 0 and ("，认真组织实施了" .. listed .. also) or also
  para(WE .. "按照省委、省政府及" .. KIND .. "委、" .. KIND .. "政府脱贫攻坚工作部署，按照精准扶贫、精准脱贫方略，切实发挥职能作用"
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
      parts[#parts + 1] = { mid_lo .. "平方米以下的", fig(num(rest, "个"), built_src, big_src, mid_src) }
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
    s[#s + 1] = "贫困村综合性文化服务中心建设情况，按照脱贫攻坚工作要求，每个贫困村必须建有村级综合性文化服务中心（含文化广场）"
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
      s[#s + 1] = fig(num(npoor - poor_built, "个"), npoor_src, built_src)
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
      s[#s + 1] = "，按照工作要求，到" .. cover.year .. "年底行政村综合性文化服务中心覆盖率必须达到" .. num(cover.target, "%")
    end
    for i, g in ipairs(nonpoor_years) do
      if i == 1 then
        s[#s + 1] = "，至" .. g.key .. "年底" .. OUR .. "新建成"
      else
        s[#s + 1] = "，" .. g.key .. "年新建成"
      end
      s[#s + 1] = fig(num(g.value, "个"), g.src)
      s[#s + 1] = "村级文化服务中心"
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
      local poor_v, non_v, names = {}, {}, {}
      for i, y in ipairs(cats) do
        poor_v[i], non_v[i], names[i] = per[y][1], per[y][2], y .. "年"
      end
      chart("图1　" .. WHOLE .. "各年度建成村级综合性文化服务中心情况", "个", names,
        { { name = "贫困村", values = poor_v }, { name = "非贫困村", values = non_v } })
    end
  end

  -- where the county stands at the end of the period
  local compliant, compliant_src = ind("达标文化服务中心数", TODATE)
  local s2 = { "截至" .. P.end_words .. "，" .. WHOLE, fig(num(villages, "个"), villages_src), "行政村中" }
  if missing_all == 0 then
    s2[#s2 + 1] = "已全部建成达标的村级综合性文化服务中心，覆盖率达到100%。"
  else
    local _, missing_src = ind("未建或未达标行政村数", TODATE)
    local _, none_src = ind("未建文化服务中心行政村数", TODATE)
    local _, nc_src = ind("未达标文化服务中心数", TODATE)
    local _, rate_src = ind("村级文化服务中心覆盖率(%)", TODATE)
    s2[#s2 + 1] = "已有"
    s2[#s2 + 1] = fig(num(compliant, "个"), compliant_src)
    s2[#s2 + 1] = "建成达标的村级综合性文化服务中心，覆盖率为"
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
    if missing_none > 0 then todo[#todo + 1] = "继续宣传发动行政村综合性文化服务中心建设工作" end
    if not_compliant > 0 then todo[#todo + 1] = "对已经建成未达标的村级文化服务中心督促进行提升改造" end
    para("今后，" .. WE .. "将" .. table.concat(todo, "，") .. "。")
  end
end

-- ---- 二、电视信号户户通工作 ------------------------------------------------------

if tv_total > 0 then
  section("电视信号户户通工作")
  local years = nonzero(ind_by("户户通安装户数", TODATE, "year"))
  local s = { "建档立卡贫困户全部实现电视信号户户通，是落实精准扶贫、精准脱贫战略的重点工作" }
  local quota_met, quota_missed, have_quota = {}, {}, false
  for _, g in ipairs(years) do
    local t = target_of("户户通安装户数", tonumber(g.key))
    if t then
      have_quota = true
      if t.status == "达成" then quota_met[#quota_met + 1] = g else quota_missed[#quota_missed + 1] = { g = g, t = t } end
    end
  end
  s[#s + 1] = have_quota and "，按核定的任务数，" .. WE or "，" .. WE
  for i, g in ipairs(years) do
    local words = g.key == tostring(P.year) and P.kind ~= "year" and (P.words .. "") or (g.key .. "年")
    if i == 1 then
      s[#s + 1] = words .. (#years > 1 and "全年" or "") .. "累计安装建档立卡贫困户电视信号"
    else
      s[#s + 1] = "，" .. words .. "安装"
    end
    s[#s + 1] = fig(num(g.value, "户"), g.src)
  end
  if have_quota and #quota_missed == 0 then
    s[#s + 1] = #quota_met > 1 and "，均完成了核定任务" or "，完成了核定任务"
  end
  for _, m in ipairs(quota_missed) do
    s[#s + 1] = "；" .. m.g.key .. "年核定任务" .. num(m.t.target, "户") .. "，完成" .. pct(m.g.value / m.t.target, 1)
  end
  s[#s + 1] = "。"
  para(s)

  -- the same by year, as a table: the years with installs, and the years
  -- after the first install up to the period that had a quota
  local by_year, first = {}, nil
  for _, g in ipairs(years) do
    local y = tonumber(g.key)
    if y and y <= P.year then
      by_year[y] = g
      if not first or y < first then first = y end
    end
  end
  if first then
    local _, none_src = ind("户户通安装户数", TODATE)
    local trs = {}
    for y = first, P.year do
      local g = by_year[y]
      local t = target_of("户户通安装户数", y)
      if g or t then
        local done = g and g.value or 0
        local quota, state = "—", "—"
        if t then
          quota = num(t.target)
          -- from the table's own figures: a year still under way is judged
          -- by its installs so far
          if done >= t.target then
            state = "完成"
          elseif t.target > 0 then
            state = "完成" .. pct(done / t.target, 1)
          end
        end
        local label = (y == P.year and P.kind ~= "year") and P.words or (tostring(y) .. "年")
        trs[#trs + 1] = { label, fig(num(done), g and g.src or none_src), quota, state }
      end
    end
    if #trs > 0 then
      table("表1　建档立卡贫困户电视信号户户通安装情况", { "年度", "安装户数", "任务数", "完成情况" }, trs,
        { "text", "number", "number", "center" })
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
  local s = { WE .. "共驻村帮扶", fig(small(ntown, "个"), ntown_src), "乡镇", fig(num(aided, "个"), aided_src), "行政村" }
  if npoor > 0 and nnon > 0 then
    s[#s + 1] = "，其中贫困村"
    s[#s + 1] = fig(small(npoor, "个"), npoor_src)
    s[#s + 1] = "，非贫困村"
    s[#s + 1] = fig(small(nnon, "个"), nnon_src)
  elseif npoor > 0 then
    s[#s + 1] = "，均为贫困村"
  else
    s[#s + 1] = "，均为非贫困村"
  end
  s[#s + 1] = "，分别是" .. join(groups, true)
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
    s3[#s3 + 1] = "为" .. num(nv, "个") .. "行政村" .. (nv == aided and "全部" or "") .. "配备了"
      .. join(distinct(items)) .. "等" .. table.concat(kinds_of(rowsq), "及")
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
    s3[#s3 + 1] = "为" .. join(vnames) .. "修建了" .. join(distinct(items)) .. "等基础设施"
  end
  local home, home_src = ind("帮扶到户投入(万元)", UNIT_TODATE)
  if home > 0 then
    local rowsq = select(function(r) return r["户编号"] ~= nil end)
    local hh = {}
    for _, r in ipairs(rowsq) do hh[#hh + 1] = r["户编号"] end
    s3[#s3 + 1] = (#s3 > 0 and "；" or "") .. "投资"
    s3[#s3 + 1] = fig(money(home, "万元"), home_src)
    s3[#s3 + 1] = "帮助" .. num(#distinct(hh), "户") .. "贫困户改善生产生活条件，其中"
    local parts = {}
    for _, k in ipairs(kinds_of(rowsq)) do
      local per = {}
      local order = {}
      for _, r in ipairs(rowsq) do
        if r["类别"] == k then
          local c = r["内容"] or k
          if not per[c] then per[c] = {}; order[#order + 1] = c end
          per[c][#per[c] + 1] = r["户编号"]
        end
      end
      local bits = {}
      for _, c in ipairs(order) do bits[#bits + 1] = c .. num(#distinct(per[c]), "户") end
      parts[#parts + 1] = join(bits)
    end
    s3[#s3 + 1] = table.concat(parts, "，")
  end
  if #s3 > 0 then
    s3[#s3 + 1] = "，为确保全面打赢脱贫攻坚战打下了坚实的基础。"
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
      s[#s + 1] = "，编排了" .. (#titles > 1 and "" or "") .. "扶贫政策文艺宣传节目，如" .. join(titles) .. "等"
      if #forms > 1 then
        s[#s + 1] = "，演出形式多样，有" .. join(labels(forms)) .. "等，通俗易懂，群众喜闻乐见"
      elseif #forms == 1 then
        s[#s + 1] = "，演出形式为" .. forms[1].label
      end
    end
    s[#s + 1] = "，并以乡镇文化站和行政村文化中心为依托，开展扶贫政策文艺宣传演出活动达"
    s[#s + 1] = fig(approx(shows, "场次", "cn余", 1), shows_src)
  end
  -- the other kinds of events, named from the data
  local kinds = {}
  for _, g in ipairs(nonzero(ind_by("文化活动场次", TODATE, "kind"))) do kinds[g.key] = g end
  local also = {}
  if kinds["赛事活动"] then
    local contests = labels(by_value(ind_by("赛事活动场次", TODATE, "programme")))
    if #contests > 0 then also[#also + 1] = join(contests) .. "等赛事活动" end
  end
  local tours = {}
  if kinds["送戏下乡"] then tours[#tours + 1] = "送戏" end
  if kinds["送电影下乡"] then tours[#tours + 1] = "送电影" end
  if #tours > 0 then also[#also + 1] = join(tours) .. "下乡活动" end
  local tail = ""
  if kinds["农家书屋"] then
    local books = labels(by_value(ind_by("文化活动场次", { mode = "todate" }, "programme")))
    local wanted = {}
    for _, b in ipairs(books) do if b:find("农家书屋", 1, true) then wanted[#wanted + 1] = b end end
    if #wanted > 0 then tail = "和" .. join(wanted) .. "工作" end
  end
  if #also > 0 or tail ~= "" then
    s[#s + 1] = "，同时相继开展了" .. table.concat(also, "及") .. tail
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
    s2[#s2 + 1] = fig(approx(people, "人次", "cn多", 1), people_src)
  end
  if #s2 > 1 then
    s2[#s2 + 1] = "，此项活动的开展既丰富了群众的文化生活，又对国家的扶贫政策进行了广泛的宣传，提高了群众对扶贫政策的知晓率，增强了干部群众的幸福指数。"
    para(s2)
  end
end

-- ---- 五、存在的问题和下一步工作打算 --------------------------------------------

local problems, plans = {}, {}

do -- poor villages still without a centre
  local npoor = ind("贫困村数", TODATE)
  local built, built_src = ind("贫困村文化服务中心数", TODATE)
  if npoor > built then
    local _, npoor_src = ind("贫困村数", TODATE)
    local names = {}
    for _, code in ipairs(explain("未建文化服务中心行政村数", TODATE)) do
      local v = region(code)
      if v and v.poor then names[#names + 1] = v.name end
    end
    local p = { "每个贫困村都要建有村级综合性文化服务中心，目前" .. WHOLE .. "还有", fig(num(npoor - built, "个"), npoor_src, built_src), "贫困村没有建成" }
    if #names > 0 and #names <= 10 then p[#p + 1] = "（" .. join(names) .. "）" end
    problems[#problems + 1] = p
    plans[#plans + 1] = "督促尚未建成的贫困村尽快建成村级综合性文化服务中心"
  end
end

if centres_total > 0 and missing_all > 0 then
  local _, missing_src = ind("未建或未达标行政村数", TODATE)
  local cover = target_of("村级文化服务中心覆盖率(%)", P.year)
  local p = {}
  if cover then
    p[#p + 1] = "村级文化中心建设按要求" .. cover.year .. "年底要达到" .. num(cover.target, "%") .. "覆盖，目前"
  else
    p[#p + 1] = "目前"
  end
  p[#p + 1] = WHOLE .. "还有"
  p[#p + 1] = fig(num(missing_all, "个"), missing_src)
  p[#p + 1] = "行政村未建设或不达标"
  problems[#problems + 1] = p
  plans[#plans + 1] = "加快推进未建设、未达标行政村的村级综合性文化服务中心建设和提升改造，确保按期实现全覆盖"
end

do -- subsidy promised but not paid
  local owed, owed_src = ind("应拨未拨奖补(万元)", TODATE)
  if owed and owed > 0 then
    local years = nonzero(ind_by("应拨未拨奖补(万元)", TODATE, "year"))
    local built, std, paid, srcs = 0, 0, 0, {}
    local ylist = {}
    for _, y in ipairs(years) do
      local at = { period = y.key }
      local n, n_src = ind("村级文化服务中心数", at)
      local a = ind("文化服务中心奖补标准(万元)", at)
      local b = ind("已拨付奖补(万元)", at)
      built, std, paid = built + n, std + a, paid + b
      srcs[#srcs + 1] = n_src
      ylist[#ylist + 1] = y.key:sub(3)
    end
    local p = { join(ylist) .. "年建成的", fig(num(built, "个"), srcs), "村级综合性文化中心" }
    local each_std, each_paid = std / built, paid / built
    local _, std_src = ind("文化服务中心奖补标准(万元)", TODATE)
    local _, paid_src = ind("已拨付奖补(万元)", TODATE)
    local std_v, paid_v, tail
    if built > 0 and each_std == math.floor(each_std * 100) / 100 then
      -- every centre has the same standard: say it per centre, as a clerk would
      p[#p + 1] = "，每建成一个村级综合性文化服务中心需" .. KIND .. "财政奖补资金"
      std_v, paid_v, tail = each_std, each_paid, "奖补资金未拨付到位，行政村对此压力较大"
    else
      p[#p + 1] = "应拨" .. KIND .. "财政奖补资金"
      std_v, paid_v, tail = std, paid, "未拨付到位，行政村对此压力较大"
    end
    p[#p + 1] = fig(num(std_v, "万元"), std_src)
    p[#p + 1] = "，目前只拨付"
    p[#p + 1] = fig(num(paid_v, "万元"), paid_src)
    p[#p + 1] = "，尚有"
    p[#p + 1] = fig(num(owed, "万元"), owed_src)
    p[#p + 1] = tail
    problems[#problems + 1] = p
    plans[#plans + 1] = "积极协调" .. KIND .. "财政尽快拨付村级综合性文化服务中心奖补资金"
  end
end

if tv_total > 0 then
  local broken, broken_src = ind("户户通故障户数", TODATE)
  local left, left_src = ind("未安装户户通贫困户数", TODATE)
  local p = {}
  if broken > 0 then
    local who = labels(by_value(ind_by("户户通故障户数", TODATE, "installer")))
    p[#p + 1] = "目前有"
    p[#p + 1] = fig(num(broken, "户"), broken_src)
    p[#p + 1] = "建档立卡贫困户的户户通设备处于故障状态，无法正常收看"
    if #who > 0 then
      plans[#plans + 1] = "督促" .. join(who) .. "加强户户通设备维修服务，指导贫困户正确使用电视信号"
    end
  end
  if left > 0 then
    p[#p + 1] = (#p > 0 and "；" or "") .. WHOLE .. "还有"
    p[#p + 1] = fig(num(left, "户"), left_src)
    p[#p + 1] = "建档立卡贫困户尚未安装电视信号户户通"
    plans[#plans + 1] = "对尚未安装户户通的建档立卡贫困户逐户摸排，争取早日全部实现户户通"
  end
  if #p > 0 then problems[#problems + 1] = p end
end

do -- targets of the unit not met this year (those not already said above)
  local said = { ["村级文化服务中心覆盖率(%)"] = true }
  for _, t in ipairs(targets({ unit = UNIT, period = P })) do
    if t.status == "未达成" and not said[t.indicator] and t.actual then
      problems[#problems + 1] = { P.words .. t.indicator:gsub("%(.-%)", "") .. "目标任务为" .. num(t.target) ..
        "，实际完成" .. num(t.actual) .. "，尚未完成" }
    end
  end
end

if #problems > 0 then
  section("存在的问题和下一步工作打算")
  para("扶贫工作是一项极其重要的政治工作，在" .. KIND .. "委、" .. KIND .. "政府的正确领导及" .. STAFF .. "共同努力下，扶贫工作虽然取得了一定的成绩，但仍然存在着一些不足：")
  for i, p in ipairs(problems) do
    para(tostring(i) .. "、", p, "。")
  end
  if #plans > 0 then
    para("下一步，" .. WE .. "将" .. table.concat(plans, "；") .. "，为全面打赢脱贫攻坚战提供有力的文化支撑。")
  end
end
