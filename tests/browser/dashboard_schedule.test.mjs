// 首页 at the half year: the targets carry metrics' judgement against the
// time schedule (时序进度). 商丘市's 查看 sees 民权县's 实际利用外资 2200/3410
// (64.5%) as 超序时进度, not behind; the header counts the statuses in the
// new words; a growth target has no progress bar; at the year's end only
// 已完成, 未完成 and 力争 remain. Screenshots at 1366×768 and phone size.
import assert from 'node:assert/strict'
import { browserTest, startServer, login, settle, screenshot, scrollsSideways, PHONE } from './lib.mjs'

async function openDashboard(page, period) {
  await page.goto(`/?period=${period}`)
  await page.locator('[data-test=dash-target]').first().waitFor({ state: 'attached' })
  await settle(page)
}

async function statuses(page) {
  return page.locator('[data-test=dash-target-status]').allTextContents()
}

browserTest('首页:目标任务按时序进度判断', { srv: () => startServer(), timeout: 180000 }, async ({ page, watch }) => {
  await login(page, watch, 'shi_chakan')
  await openDashboard(page, '2015-H1')
  const fdi = page
    .locator('[data-test=dash-target][data-indicator="实际利用外资(万美元)"]')
    .filter({ hasText: '民权县' })
  assert.equal((await fdi.locator('[data-test=dash-target-status]').textContent()).trim(), '超序时进度')
  assert.match(await fdi.textContent(), /时序进度 50(\.0)?%/)
  const words = (await statuses(page)).map((s) => s.trim())
  assert.ok(words.includes('滞后于序时进度'), words.join(','))
  for (const w of words) assert.ok(['已完成', '超序时进度', '达到序时进度', '滞后于序时进度', '力争'].includes(w), w)
  const card = await page.locator('.dash-fixed').first().textContent()
  assert.ok(!card.includes('未达成') && !card.includes('达成'), card.slice(0, 200))
  assert.match(card, /超序时进度\d+/)
  // an additive target has its two bars; a growth rate none (its progress is
  // no share of the target), and says how it is judged
  assert.equal(await fdi.locator('[data-test=dash-target-bar]').count(), 1)
  const growth = page
    .locator('[data-test=dash-target][data-indicator="实际利用外资增长率(%)"]')
    .filter({ hasText: '商丘市' })
  assert.equal(await growth.locator('.el-progress').count(), 0)
  assert.match(await growth.locator('[data-test=dash-target-nobar]').textContent(), /不与时序进度比较/)
  assert.doesNotMatch(await growth.textContent(), /时序进度 50/)
  // the points behind with one decimal, in check's word (滞后): 40.0% against 50.0%
  const big = page
    .locator('[data-test=dash-target][data-indicator="引进3亿元以上项目数"]')
    .filter({ hasText: '商丘市' })
  assert.match(await big.textContent(), /滞后10\.0个百分点/)
  await screenshot(page, 'dashboard-schedule-2015-H1')
  await page.setViewportSize(PHONE)
  await settle(page)
  await screenshot(page, 'dashboard-schedule-2015-H1')
  assert.equal(await scrollsSideways(page), false, '手机上首页不应横向滚动')

  await openDashboard(page, '2015')
  for (const w of (await statuses(page)).map((s) => s.trim())) assert.ok(['已完成', '未完成', '力争'].includes(w), w)
})
