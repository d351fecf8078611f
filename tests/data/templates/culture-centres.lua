-- culture-centres.lua - a third report kind, as a test fixture: adding a
-- report is this one file (tests/blackbox/test_report.py, TestKinds).
local R = report {
  kind = "culture-centres",
  title = "村级文化服务中心建设情况",
  scope = { level = "县" },
  indicators = { "行政村数", "村级文化服务中心数", "达标文化服务中心数" },
  facts = {
    { label = "行政村建成了村级文化服务中心", indicator = "村级文化服务中心数" },
  },
}
local TODATE = { mode = "todate" }
local villages, villages_src = ind("行政村数", TODATE)
local built, built_src = ind("村级文化服务中心数", TODATE)
local ok, ok_src = ind("达标文化服务中心数", TODATE)

title(R.region_name .. "村级文化服务中心建设情况", "（截至" .. R.period.end_words .. "）")
h1("一、建设情况")
para("截至", R.period.end_words, "，全县", fig(num(villages, "个"), villages_src), "行政村中，",
  fig(num(built), built_src), "个行政村建成了村级文化服务中心，其中达标",
  fig(num(ok, "个"), ok_src), "。")
