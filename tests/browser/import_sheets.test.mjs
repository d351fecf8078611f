// 导入 of the clerk's own workbooks (issue 10): the check lists, per sheet,
// the header found (two rows here), each file column and the 台账 column it
// fills, the rows left out by kind with their rows, and a sheet that is not
// a table of the ledger with its reason. Files from the corpus in
// tests/clerk/files (their households are the demo's: nothing would change).
import assert from 'node:assert/strict'
import path from 'node:path'
import { browserTest, startServer, login, settle, ROOT, screenshot } from './lib.mjs'

const FILES = path.join(ROOT, 'tests/clerk/files')

async function check(page, file) {
  await page.goto('/import?ledger=households')
  await page.locator('[data-test=page-import]').waitFor()
  await settle(page)
  await page.locator('[data-test=import-file] input[type=file]').setInputFiles(path.join(FILES, file))
  await page.locator('[data-test=import-sheets]').waitFor()
  await settle(page)
}

browserTest('导入:自己的表格逐个工作表列出表头、列的对应和跳过的行', { srv: () => startServer(), timeout: 180000 }, async ({ page, watch }) => {
  await login(page, watch, 'xian_guanli')

  // title, 填报单位, a two-row header under 三保障, headings, totals, footers
  await check(page, '04_合计小计_村标题_页脚.xlsx')
  const sheet = page.locator('[data-test=import-sheet-0]')
  assert.match(await sheet.locator('[data-test=import-sheet-header]').innerText(), /第 3–4 行\(两行表头\)/)
  const skipped = await sheet.locator('[data-test=import-sheet-skipped]').innerText()
  for (const w of ['标题 1 行', '填报信息 1 行', '分组标题行 2 行', '合计行 3 行', '说明 3 行', '空行 1 行'])
    assert.ok(skipped.includes(w), `跳过的行中没有“${w}”:${skipped}`)
  const cols = await sheet.locator('[data-test=import-sheet-columns] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())))
  for (const c of ['户编号', '户主身份证号', '义务教育保障', '住房安全保障', '饮水安全保障'])
    assert.ok(cols.some((r) => r[2] === c), `列的对应中没有 ${c}:${JSON.stringify(cols)}`)
  await screenshot(page, 'import-sheets-two-row-header')

  // a 说明 sheet and a hidden sheet of drop-down lists are listed with why
  await check(page, '25_多表_含说明页.xlsx')
  const cards = page.locator('[data-test=import-sheets] .el-card')
  assert.equal(await cards.count(), 4)
  const text = await page.locator('[data-test=import-sheets]').innerText()
  assert.match(text, /工作表“说明”[\s\S]*不是本台账的表格,未读取/)
  assert.match(text, /工作表“下拉选项”[\s\S]*隐藏的工作表,已一并读取/)
  const reasons = await page.locator('[data-test=import-sheet-reason]').allInnerTexts()
  assert.equal(reasons.length, 2, `未读取的工作表应各有原因:${reasons}`)
  assert.ok(reasons.every((r) => r.includes('建档立卡贫困户')), reasons.join(' | '))
  assert.match(text, /工作表“南史庙村”[\s\S]*数据 18 行/)
  await screenshot(page, 'import-sheets-readme')
})
