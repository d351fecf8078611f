// 上报审核 from both sides: the village's 填报 submits 2016, the township's
// 审核 returns it with a reason, the village reads the reason and resubmits,
// the township approves; then the period shows as locked and the village
// fails to edit a household identified in 2016 (the form says
// 该期间数据已审核锁定).
import assert from 'node:assert/strict'
import { browserTest, startServer, login, settle } from './lib.mjs'

const VILLAGE = '411628101201' // 卢尧村
const PERIOD = '2016' // 卢尧村 has households identified in 2016 (识别年度)
const REASON = '2016年识别户数与入户调查不符,请核实'

async function openSubmissions(page) {
  await page.goto(`/submissions?period=${PERIOD}`)
  await page.locator('[data-test=submission-own-status]').waitFor()
  await settle(page)
}

function villageRow(page) {
  return page.locator(`[data-test=submission-table] tr[data-scope="${VILLAGE}"]`)
}

browserTest('上报审核:上报、退回、重新上报、审核通过,之后不能修改锁定的行', { srv: () => startServer(), timeout: 180000 }, async ({ page, watch, as }) => {
  await login(page, watch, 'cun_tianbao')
  await openSubmissions(page)
  const own = page.locator('[data-test=submission-own-status]')
  assert.equal(await own.getAttribute('data-status'), 'none')
  await page.locator('[data-test=submission-submit]').click()
  await page.locator('[data-test=submission-own-status][data-status=submitted]').waitFor()

  // the township's reviewer returns it with a reason
  const rv = await as('xiang_shenhe')
  await openSubmissions(rv.page)
  await villageRow(rv.page).and(rv.page.locator('[data-status=submitted]')).waitFor()
  await villageRow(rv.page).locator('[data-test=submission-return]').click()
  await rv.page.locator('[data-test=submission-return-reason] textarea, textarea[data-test=submission-return-reason]').first().fill(REASON)
  await rv.page.locator('[data-test=submission-return-confirm]').click()
  await rv.page.locator(`[data-test=submission-table] tr[data-scope="${VILLAGE}"][data-status=returned]`).waitFor()

  // the village reads the reason and submits again
  await openSubmissions(page)
  assert.equal(await own.getAttribute('data-status'), 'returned')
  assert.match(await page.locator('[data-test=submission-return-note]').innerText(), new RegExp(REASON))
  assert.equal((await page.locator('[data-test=submission-submit]').innerText()).trim(), '重新上报')
  await page.locator('[data-test=submission-submit]').click()
  await page.locator('[data-test=submission-own-status][data-status=submitted]').waitFor()

  // the reviewer approves; the period shows as locked
  await openSubmissions(rv.page)
  await villageRow(rv.page).locator('[data-test=submission-approve]').click()
  await rv.page.locator(`[data-test=submission-table] tr[data-scope="${VILLAGE}"][data-status=approved]`).waitFor()
  await villageRow(rv.page).locator('[data-test=submission-locked]').waitFor()
  await openSubmissions(page)
  assert.equal(await own.getAttribute('data-status'), 'approved')
  await own.locator('[data-test=submission-locked]').waitFor()

  // a household identified in 2016 can no longer be changed
  await page.goto(`/ledgers/households?where=${encodeURIComponent('识别年度=' + PERIOD)}`)
  await page.locator('[data-test=ledger-edit]').first().waitFor()
  await settle(page)
  await page.locator('[data-test=ledger-edit]').first().click()
  const form = page.locator('[data-test=ledger-form]')
  await form.waitFor()
  const income = form.locator('[data-column="人均纯收入(元)"] input')
  await income.fill(String(Number(await income.inputValue()) + 100))
  watch.expect(409, /^POST \/api\/ledgers\/households\/rows$/)
  await page.locator('[data-test=ledger-form-save]').click()
  const err = page.locator('[data-test=ledger-form-error]')
  await err.waitFor()
  assert.match(await err.innerText(), /该期间数据已审核锁定/)
})
