// 导入 with errors and after the fix: a CSV built from the demo's own
// 建档立卡贫困户 header (examples/county/households.csv) with one good row
// and three bad ones goes through the page; the dry run lists every error
// with its row and column, nothing is applied, the failing rows download as
// an xlsx with an added 错误原因 column; the fixed file passes the check, is
// imported, and its rows are in the 台账.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { browserTest, startServer, login, settle, ROOT, TMP, xlsxRows, downloadBytes, apiCall } from './lib.mjs'

const VILLAGE = '411628101201' // 卢尧村, in 宋河镇 (xiang_tianbao's scope)
const PREFIX = '411628999' // the test's 户编号 (no demo household has it)

// a valid 18-digit ID number (GB 11643 check digit) from 17 digits
function idNumber(d17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...d17].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return d17 + '10X98765432'[sum % 11]
}

function header() {
  const first = fs.readFileSync(path.join(ROOT, 'examples/county/households.csv'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]
  return first.split(',')
}

// rows as {column: value}, written in the header's order
function csv(rows) {
  const h = header()
  return '\uFEFF' + [h.join(','), ...rows.map((r) => h.map((c) => r[c] ?? '').join(','))].join('\r\n') + '\r\n'
}

function household(n, over = {}) {
  return {
    户编号: `${PREFIX}${String(n).padStart(4, '0')}`,
    户主姓名: `测试户${n}`,
    户主身份证号: idNumber(`41162819800101${String(100 + n).padStart(3, '0')}`),
    所在村代码: VILLAGE,
    家庭人口: '3',
    贫困户属性: '一般贫困户',
    主要致贫原因: '因病',
    识别年度: '2016',
    脱贫年度: '',
    '人均纯收入(元)': '5200',
    义务教育保障: '是',
    基本医疗保障: '是',
    住房安全保障: '是',
    饮水安全保障: '是',
    帮扶责任人: '何成全',
    ...over,
  }
}

// the three refused cells: row (the header is row 1), column, the value
// written instead of the good one
const wrongCheckDigit = (id) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0')
const BAD = [
  { row: 3, column: '户主身份证号', value: wrongCheckDigit(household(2).户主身份证号) },
  { row: 4, column: '贫困户属性', value: '特别困难户' },
  { row: 5, column: '家庭人口', value: '三口' },
]

browserTest('导入:错误逐条列出、不写入,下载错误行(xlsx,错误原因列),改正后导入成功', { srv: () => startServer(), timeout: 180000 }, async ({ page, watch }) => {
  const good = [1, 2, 3, 4].map((n) => household(n))
  const bad = good.map((r) => ({ ...r }))
  BAD.forEach((b) => (bad[b.row - 2][b.column] = b.value))
  const badFile = path.join(TMP, '贫困户-有错误.csv')
  const goodFile = path.join(TMP, '贫困户-已改正.csv')
  fs.writeFileSync(badFile, csv(bad))
  fs.writeFileSync(goodFile, csv(good))

  await login(page, watch, 'xiang_tianbao')
  await page.goto('/import?ledger=households')
  await page.locator('[data-test=page-import]').waitFor()
  await settle(page)
  // the refused dry run answers 422 with the import's errors
  watch.expect(422, /^POST \/api\/ledgers\/households\/import$/)
  await page.locator('[data-test=import-file] input[type=file]').setInputFiles(badFile)
  const errors = page.locator('[data-test=import-errors]')
  await errors.locator('tbody tr').first().waitFor()
  await settle(page)
  const cells = await errors.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())))
  for (const b of BAD) {
    const hit = cells.find((c) => c[1] === String(b.row) && c[2] === b.column)
    assert.ok(hit, `错误表中没有第${b.row}行 ${b.column}:${JSON.stringify(cells)}`)
    // an ID number is shown masked in the diagnostics, as in every log
    const masked = b.value.slice(0, 6) + '********' + b.value.slice(14)
    assert.ok(hit[3] === b.value || (b.column === '户主身份证号' && hit[3] === masked), `第${b.row}行的值:${hit[3]}`)
    assert.ok(hit[4].length > 0, '原因为空')
  }
  assert.ok(await page.locator('[data-test=import-apply]').isDisabled(), '有错误时不应能确认导入')
  const none = await apiCall(page, 'GET', `/api/ledgers/households/rows?q=${PREFIX}`)
  assert.equal(none.body.total, 0, '检查时不应写入')

  // the failing rows, with the reasons in an added column
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=import-failed-download]').first().click()])
  assert.match(download.suggestedFilename(), /\.xlsx$/)
  const rows = xlsxRows(await downloadBytes(download))
  const h = rows[0]
  const why = h.indexOf('错误原因')
  assert.ok(why >= 0, `没有错误原因列:${h.join('|')}`)
  assert.deepEqual(h.slice(0, header().length), header())
  const body = rows.slice(1).filter((r) => r.some((c) => c !== ''))
  assert.deepEqual(body.map((r) => r[0]).sort(), BAD.map((b) => bad[b.row - 2].户编号).sort())
  for (const b of BAD) {
    const r = body.find((x) => x[0] === bad[b.row - 2].户编号)
    assert.equal(r[h.indexOf(b.column)], b.value)
    assert.match(r[why], new RegExp(b.column.replace(/[()]/g, '\\$&')), `错误原因未指出列 ${b.column}:${r[why]}`)
  }

  // the fixed file passes and is imported
  await page.locator('[data-test=import-file] input[type=file]').setInputFiles(goodFile)
  await page.locator('[data-test=import-dryrun-result]').waitFor()
  await page.locator('[data-test=import-apply]:not([disabled])').waitFor()
  await page.locator('[data-test=import-apply]').click()
  await page.locator('[data-test=import-done]').waitFor()
  await settle(page)

  await page.goto(`/ledgers/households?q=${PREFIX}`)
  await page.locator('[data-test=ledger-table] .el-table__body-wrapper tr.el-table__row').first().waitFor()
  await settle(page)
  const keys = await page.locator('[data-test=ledger-row]').evaluateAll((s) => s.map((x) => x.getAttribute('data-key')))
  assert.deepEqual(keys.sort(), good.map((r) => r.户编号).sort())

  // one 导入 entry in 留痕 stands for the rows; a row's own 留痕 (from its
  // row in the 台账) still shows its 新增: the file and the row it came from
  const listing = await apiCall(page, 'GET', '/api/audit?ledger=households&limit=200')
  assert.equal(listing.body.entries.filter((e) => e.action === '新增' && e.key.startsWith(PREFIX)).length, 0)
  assert.ok(listing.body.entries.some((e) => e.action === '导入' && e.detail.includes('新增4行') && /SHA-256 [0-9a-f]{64}/.test(e.detail)))
  const third = good[2].户编号
  await page.locator(`[data-test=ledger-row][data-key="${third}"] [data-test=ledger-history]`).click()
  await page.waitForURL((u) => u.pathname === '/audit' && u.searchParams.get('key') === third)
  await page.locator('[data-test=audit-row]').first().waitFor()
  await settle(page)
  assert.equal(await page.locator('input[data-test=audit-filter-key], [data-test=audit-filter-key] input').first().inputValue(), third)
  const entries = await page.locator('[data-test=audit-row]').evaluateAll((trs) => trs.map((tr) => tr.innerText))
  assert.equal(entries.length, 1, entries.join(' | '))
  assert.match(entries[0], /新增/)
  assert.match(entries[0], /贫困户-已改正\.csv 第4行/)
})
