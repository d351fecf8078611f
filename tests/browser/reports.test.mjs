// 报告: 鹿邑县's 管理员 drafts the 文化广电旅游局's 2019 精准扶贫工作汇报 in the
// page (the draft's figures link to their sources, 校对意见 beside it), then
// downloads the .docx and parses it: the title, and figures of the draft,
// each equal to what /api/indicators gives for its source.
import assert from 'node:assert/strict'
import { browserTest, sharedServer, login, settle, docxParagraphs, downloadBytes, apiCall } from './lib.mjs'

const TITLE = '鹿邑县文化广电旅游局精准扶贫工作汇报'
const QUERY = `kind=poverty-work&region=411628&unit=${encodeURIComponent('县文化广电旅游局')}&period=2019`

browserTest('报告:起草、查看来源与校对意见,下载 Word(.docx)并解析标题和数字', { srv: sharedServer, timeout: 180000 }, async ({ page, watch }) => {
  await login(page, watch, 'xian_guanli')
  await page.goto(`/reports?${QUERY}`)
  const html = page.locator('[data-test=report-html]')
  await html.waitFor()
  await settle(page)
  assert.match(await html.innerText(), new RegExp(TITLE))
  await page.locator('[data-test=report-findings]').waitFor()
  // the region given as a code in the address shows as its name
  const picker = await page.locator('[data-test=report-region]').first().innerText()
  assert.match(picker, /鹿邑县/, `区划选择框显示:${picker}`)
  assert.doesNotMatch(picker, /411628/)

  // a few figures of the draft, with their sources
  const figs = await html.locator('a.tz-fig').evaluateAll((as) =>
    as.slice(0, 40).map((a) => ({ text: a.textContent.trim(), ...a.dataset })),
  )
  assert.ok(figs.length > 0, '草稿中没有链接来源的数字')
  const checked = []
  for (const f of figs.filter((x) => x.indicator && /^\d+$/.test(x.text)).slice(0, 3)) {
    const q = new URLSearchParams({ period: f.period || '2019' })
    if (f.region) q.set('region', f.region)
    if (f.unit) q.set('unit', f.unit)
    const r = await apiCall(page, 'GET', `/api/indicators/${encodeURIComponent(f.indicator)}?${q}`)
    assert.equal(r.status, 200, `${f.indicator}: ${JSON.stringify(r.body)}`)
    checked.push({ ...f, value: r.body.value })
  }
  assert.ok(checked.length > 0, '草稿中没有可核对的整数')

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=report-download]').click()])
  assert.match(download.suggestedFilename(), /\.docx$/)
  const paras = docxParagraphs(await downloadBytes(download)).filter((p) => p.trim())
  assert.equal(paras[0].replace(/\s/g, ''), TITLE)
  const text = paras.join('\n')
  for (const f of checked) {
    // the figure the page showed is the indicator's value and is in the Word file
    assert.equal(String(f.value), f.text, `${f.indicator} 的值`)
    assert.ok(text.includes(f.text), `Word 文件中没有 ${f.indicator} 的 ${f.text}`)
  }
})
