// An edit seen on 首页: 宋河镇's 填报 reads 脱贫户数 and 未脱贫户数 on the
// dashboard, marks a household not yet out of poverty as out in 2019
// through the 台账 form, and finds both figures moved by one after a reload;
// 留痕 shows the change.
import assert from 'node:assert/strict'
import { browserTest, startServer, login, settle, apiCall } from './lib.mjs'

async function figure(page, indicator) {
  const v = page.locator(`[data-test=dash-figure][data-indicator="${indicator}"] [data-test=dash-figure-value]`)
  await v.waitFor({ state: 'attached' })
  return Number((await v.textContent()).replace(/[,\s]/g, ''))
}

async function openDashboard(page) {
  await page.goto('/?period=2019')
  await page.locator('[data-test=dash-figure]').first().waitFor({ state: 'attached' })
  await settle(page)
}

browserTest('首页:在台账中修改一行,首页的指标随之变化', { srv: () => startServer(), timeout: 180000 }, async ({ page, watch }) => {
  await login(page, watch, 'xiang_tianbao')
  await openDashboard(page)
  const out0 = await figure(page, '脱贫户数')
  const in0 = await figure(page, '未脱贫户数')

  // a household identified by 2019 and not yet out of poverty
  const all = await apiCall(page, 'GET', '/api/ledgers/households/rows?limit=1000')
  assert.equal(all.status, 200)
  const hh = all.body.rows.find((r) => (r.脱贫年度 === null || r.脱贫年度 === '') && Number(r.识别年度) <= 2019)
  assert.ok(hh, '宋河镇没有未脱贫户')

  await page.goto(`/ledgers/households?q=${hh.户编号}`)
  await page.locator(`[data-test=ledger-row][data-key="${hh.户编号}"] [data-test=ledger-edit]`).click()
  const form = page.locator('[data-test=ledger-form]')
  await form.waitFor()
  const year = form.locator('[data-column="脱贫年度"] input')
  await year.click()
  await year.fill('2019')
  await year.press('Enter')
  await page.locator('[data-test=ledger-form-save]').click()
  await form.waitFor({ state: 'detached' })
  const after = await apiCall(page, 'GET', `/api/ledgers/households/rows/${hh.户编号}`)
  assert.equal(String(after.body.脱贫年度), '2019')

  await openDashboard(page)
  assert.equal(await figure(page, '脱贫户数'), out0 + 1)
  assert.equal(await figure(page, '未脱贫户数'), in0 - 1)

  // 留痕 has the change
  await page.goto('/audit?ledger=households')
  await page.locator('[data-test=page-audit]').waitFor()
  await settle(page)
  await page.locator('[data-test=page-audit]').getByText(hh.户编号).first().waitFor()
})
