// Every page: screenshots at 1366×768 and at phone size (390×844) into
// out/screenshots/, no sideways page scroll at 1366×768, no console error and
// no failed request on any page for a few roles, and the dashboard's first
// paint on the demo data (reported, not asserted: no timed assertions).
import assert from 'node:assert/strict'
import {
  browserTest, sharedServer, login, settle, screenshot, scrollsSideways, openByMenu, menuTitles, DESKTOP, PHONE,
} from './lib.mjs'

// the menu's pages: title, path, the root's data-test hook, screenshot name
export const PAGES = [
  { title: '首页', path: '/', hook: 'page-dashboard', shot: 'dashboard' },
  { title: '台账', path: '/ledgers', hook: 'page-ledgers', shot: 'ledgers' },
  { title: '导入', path: '/import', hook: 'page-import', shot: 'import' },
  { title: '报告', path: '/reports', hook: 'page-reports', shot: 'reports' },
  { title: '上报审核', path: '/submissions', hook: 'page-submissions', shot: 'submissions' },
  { title: '留痕', path: '/audit', hook: 'page-audit', shot: 'audit' },
  { title: '用户', path: '/users', hook: 'page-users', shot: 'users' },
]

// "No page makes more than a few requests": API requests one page may make
// when opened from the menu
const MAX_REQUESTS = 5

// the pages village cadres use on a phone (台账 form, 导入, 上报)
const ENTRY = ['ledgers', 'import', 'submissions']

async function shown(page, p) {
  await page.locator(`[data-test="${p.hook}"]`).waitFor()
  await settle(page)
}

browserTest('每个页面的截图:1366×768 与手机(390×844);1366 宽时每页、手机上登录和填报页面不横向滚动', { srv: sharedServer, timeout: 180000 }, async ({ page, watch }) => {
  watch.expect(401, /^GET \/api\/me$/)
  for (const vp of [PHONE, DESKTOP]) {
    await page.setViewportSize(vp)
    await page.goto('/login')
    await page.locator('input[name=username]').waitFor()
    assert.equal(await scrollsSideways(page), false, '登录页横向滚动')
    await screenshot(page, 'login')
  }
  await login(page, watch, 'xian_guanli')
  for (const p of PAGES) {
    await openByMenu(page, p.title)
    await shown(page, p)
    assert.equal(await scrollsSideways(page), false, `${p.title} 在 1366×768 下横向滚动`)
    await screenshot(page, p.shot)
  }
  await page.setViewportSize(PHONE)
  for (const p of PAGES) {
    await page.goto(p.path)
    await shown(page, p)
    // the entry pages are used on a phone: nothing sticks out sideways
    if (ENTRY.includes(p.shot)) assert.equal(await scrollsSideways(page), false, `${p.title} 在手机上横向滚动`)
    await screenshot(page, p.shot)
  }
  // on a phone the menu is a drawer
  await page.getByRole('button', { name: '菜单' }).click()
  await page.locator('.el-drawer .tz-nav').waitFor()
  await screenshot(page, 'menu')
})

for (const user of ['shi_shenhe', 'xiang_tianbao', 'cun_chakan', 'danwei_guanli']) {
  browserTest(`${user} 打开每个页面:无控制台错误、无失败请求,每页不超过${MAX_REQUESTS}个接口请求`, { srv: sharedServer }, async ({ t, page, watch }) => {
    await login(page, watch, user)
    const titles = await menuTitles(page)
    let asked = []
    page.on('request', (r) => {
      const u = new URL(r.url())
      if (u.pathname.startsWith('/api/')) asked.push(`${r.method()} ${u.pathname}`)
    })
    const counts = []
    // 首页 last: login lands on it, so its own requests are counted on coming back
    const mine = PAGES.filter((x) => titles.includes(x.title))
    mine.push(mine.shift())
    for (const p of mine) {
      asked = []
      await openByMenu(page, p.title)
      await shown(page, p)
      counts.push(`${p.title} ${asked.length}`)
      assert.ok(asked.length <= MAX_REQUESTS, `${user} 打开${p.title}发出${asked.length}个请求: ${asked.join(', ')}`)
    }
    t.diagnostic(`${user} 各页面接口请求数: ${counts.join(', ')}`)
  })
}

browserTest('首页首次绘制时间(演示数据,鹿邑县,仅报告不作断言)', { srv: sharedServer }, async ({ t, page, watch }) => {
  await login(page, watch, 'xian_guanli')
  const times = []
  for (let i = 0; i < 3; i++) {
    await page.goto('/')
    // the dashboard has drawn its figures and no loading mask is left
    await page.waitForFunction(
      () => {
        const root = document.querySelector('[data-test="page-dashboard"]')
        return (
          root &&
          root.querySelector('[data-test="dash-figure"]') &&
          [...document.querySelectorAll('.el-loading-mask')].every((m) => m.offsetParent === null)
        )
      },
      null,
      { polling: 'raf', timeout: 30000 },
    )
    times.push(
      await page.evaluate(() => ({
        fcp: Math.round((performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0),
        ready: Math.round(performance.now()),
      })),
    )
  }
  const med = (k) => times.map((x) => x[k]).sort((a, b) => a - b)[1]
  t.diagnostic(`首页首次内容绘制 ${med('fcp')} ms,指标显示完成 ${med('ready')} ms(三次取中位数;目标 1000 ms 内)`)
  assert.ok(med('ready') > 0)
})
