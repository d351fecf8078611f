// 台账 as each kind of account sees it: 查看 gets ID numbers masked and no
// 新增/编辑/删除, 填报 gets them and the whole number, and a village account
// sees only its village's rows (counted from examples/county/households.csv).
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { browserTest, sharedServer, login, settle, ROOT } from './lib.mjs'

const VILLAGE = '411628101201' // 卢尧村, the cun_* accounts' scope
const MASKED = /^\d{6}\*{8}\d{3}[\dX]$/
const WHOLE = /^\d{17}[\dX]$/

// the example file's rows whose 所在村代码 is the village
function villageRows() {
  const lines = fs.readFileSync(path.join(ROOT, 'examples/county/households.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)
  const col = lines[0].split(',').indexOf('所在村代码')
  return lines.slice(1).filter((l) => l.split(',')[col] === VILLAGE).length
}

// the households table's cells of a column, on the page shown
async function columnCells(page, name) {
  const headers = (await page.locator('[data-test=ledger-table] .el-table__header-wrapper th').allInnerTexts()).map((s) =>
    s.replace(/\*$/, '').trim(),
  )
  const i = headers.indexOf(name)
  assert.ok(i >= 0, `表头中没有 ${name}:${headers.join('|')}`)
  return (await page.locator(`[data-test=ledger-table] .el-table__body-wrapper tr.el-table__row > td:nth-child(${i + 1})`).allInnerTexts()).map((s) =>
    s.trim(),
  )
}

async function openHouseholds(page, query = '') {
  await page.goto('/ledgers/households' + query)
  await page.locator('[data-test=ledger-table] .el-table__body-wrapper tr.el-table__row').first().waitFor()
  await settle(page)
}

browserTest('台账:查看(县级)身份证号脱敏,没有新增、编辑、删除', { srv: sharedServer }, async ({ page, watch }) => {
  await login(page, watch, 'xian_chakan')
  await openHouseholds(page)
  const ids = await columnCells(page, '户主身份证号')
  assert.ok(ids.length > 0)
  for (const id of ids) assert.match(id, MASKED)
  assert.equal(await page.locator('[data-test=ledger-add]').count(), 0)
  assert.equal(await page.locator('[data-test=ledger-edit]').count(), 0)
  assert.equal(await page.locator('[data-test=ledger-delete]').count(), 0)
  // a row opens read-only: its details, no form, the ID number masked
  await page.locator('[data-test=ledger-view]').first().click()
  const detail = page.locator('[data-test=ledger-detail]')
  await detail.waitFor()
  assert.equal(await page.locator('[data-test=ledger-form]').count(), 0)
  assert.equal(await page.locator('[data-test=ledger-form-save]').count(), 0)
  const cells = await detail.locator('td').allInnerTexts()
  assert.ok(cells.some((c) => MASKED.test(c.trim())), `详情中没有脱敏的身份证号:${cells.join('|')}`)
  assert.ok(!cells.some((c) => /\d{17}[\dX]/.test(c)), '详情中有完整的身份证号')
})

browserTest('台账:填报(乡级)看到完整身份证号,有新增、编辑、删除', { srv: sharedServer }, async ({ page, watch }) => {
  await login(page, watch, 'xiang_tianbao')
  await openHouseholds(page)
  const ids = await columnCells(page, '户主身份证号')
  assert.ok(ids.length > 0)
  for (const id of ids) assert.match(id, WHOLE)
  await page.locator('[data-test=ledger-add]').waitFor()
  assert.ok((await page.locator('[data-test=ledger-edit]').count()) > 0)
  assert.ok((await page.locator('[data-test=ledger-delete]').count()) > 0)
})

for (const user of ['cun_tianbao', 'cun_chakan']) {
  browserTest(`台账:村级账户 ${user} 只看到本村(卢尧村)的户`, { srv: sharedServer }, async ({ page, watch }) => {
    await login(page, watch, user)
    await openHouseholds(page, '?size=100')
    const villages = await columnCells(page, '所在村代码')
    assert.equal(villages.length, villageRows())
    for (const v of villages) assert.ok(v.includes(VILLAGE) && v.includes('卢尧村'), `不是本村的行:${v}`)
    assert.match(await page.locator('[data-test=ledger-pager] .el-pagination__total').innerText(), new RegExp(`共\\s*${villageRows()}\\s*条`))
  })
}
