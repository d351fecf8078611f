// 报告: 商丘市's 查看 drafts report B (招商引资, 2015-Q3) in the page and clicks
// its figures: a target value (目标任务) shows the target's words (the unit
// or region, year, value, and the default rule it comes from) and no ledger
// rows; a figure over 1 January to 30 September (ytd) lists the rows of
// those nine months, as /api/indicators gives them with ytd=1, not the
// quarter's; a figure computed from two windows (calc: a growth over last
// year) shows its computation and the rows of both.
import assert from 'node:assert/strict'
import { browserTest, sharedServer, login, settle, apiCall, screenshot } from './lib.mjs'

const QUERY = 'kind=investment&region=411400&period=2015-Q3'

// Clicks the figure fig and waits for the drawer; answers the drawer.
async function open(page, fig) {
  await fig.click()
  const d = page.locator('[data-test=provenance-drawer]')
  await d.waitFor()
  await settle(page)
  return d
}

async function close(page) {
  await page.keyboard.press('Escape')
  await page.locator('[data-test=provenance-drawer]').waitFor({ state: 'detached' })
}

// The number of rows /api/indicators lists for a figure's data attributes.
async function rowsOf(page, d, extra = {}) {
  const q = new URLSearchParams({ period: d.period, mode: d.mode, explain: '1', ...extra })
  if (d.region) q.set('region', d.region)
  if (d.unit) q.set('unit', d.unit)
  const r = await apiCall(page, 'GET', `/api/indicators/${encodeURIComponent(d.indicator)}?${q}`)
  assert.equal(r.status, 200, JSON.stringify(r.body))
  return r.body.rows.length
}

browserTest('报告:目标值显示目标任务说明,累计数字列出1月1日至期末的台账行', { srv: sharedServer, timeout: 180000 }, async ({ page, watch }) => {
  await login(page, watch, 'shi_chakan')
  await page.goto(`/reports?${QUERY}`)
  const html = page.locator('[data-test=report-html]')
  await html.waitFor()
  await settle(page)

  // a target value: its words, no rows
  const target = html.locator('a.tz-fig[data-target="1"]', { hasText: /^50个$/ }).first()
  let d = await open(page, target)
  const words = await d.locator('[data-test=provenance-target]').innerText()
  assert.match(words, /目标任务：商丘市，2015年“引进3亿元以上项目数”，目标值：50个/)
  assert.match(words, /默认规则/)
  assert.equal(await d.locator('[data-test=provenance-row]').count(), 0)
  assert.equal(await d.locator('[data-test=provenance-count]').count(), 0)
  await screenshot(page, 'report-drawer-target')
  await close(page)

  // a ytd figure of one source: 1 January to 30 September
  const ytd = html.locator('a.tz-fig[data-ytd="1"][data-unit="梁园区"]').first()
  const attrs = await ytd.evaluate((a) => ({ ...a.dataset }))
  const want = await rowsOf(page, attrs, { ytd: '1' })
  const quarter = await rowsOf(page, attrs)
  assert.notEqual(want, quarter, '累计与本季度的行数相同,测不出区别')
  d = await open(page, ytd)
  assert.equal(Number(await d.locator('[data-test=provenance-count]').innerText()), want)
  assert.equal(await d.locator('[data-test=provenance-row]').count(), Math.min(want, 20))
  assert.match(await d.innerText(), /1月1日至期末累计/)
  await screenshot(page, 'report-drawer-ytd')
  await close(page)

  // a calc() figure: a growth over the same window of last year; its
  // computation and the rows of both windows
  const calc = html.locator('a.tz-fig', { hasText: /^增长[\d.]+%$/ }).first()
  const cattrs = await calc.evaluate((a) => ({ ...a.dataset }))
  assert.equal(cattrs.ytd, '1')
  const now = await rowsOf(page, cattrs, { ytd: '1' })
  const before = await rowsOf(page, { ...cattrs, period: cattrs.period.replace(/^2015/, '2014') }, { ytd: '1' })
  assert.ok(now > 0 && before > 0, `${now} ${before}`)
  d = await open(page, calc)
  assert.match(await d.locator('[data-test=provenance-how]').innerText(), /÷上年同期/)
  assert.equal(Number(await d.locator('[data-test=provenance-count]').innerText()), now + before)
  await screenshot(page, 'report-drawer-calc')
  await close(page)

  // 完成进度 44% = the year-to-date count ÷ the target: both shown
  const share = html.locator('a.tz-fig', { hasText: /^44%$/ }).first()
  const sattrs = await share.evaluate((a) => ({ ...a.dataset }))
  assert.equal(sattrs.ytd, '1')
  const done = await rowsOf(page, sattrs, { ytd: '1' })
  d = await open(page, share)
  assert.match(await d.locator('[data-test=provenance-how]').innerText(), /÷全年目标任务50个/)
  assert.match(await d.locator('[data-test=provenance-target]').innerText(), /目标值：50个/)
  assert.equal(Number(await d.locator('[data-test=provenance-count]').innerText()), done)
  await screenshot(page, 'report-drawer-share')
  await close(page)
})
