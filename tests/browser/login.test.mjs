// 登录 and what each account sees: every demo account (each role at each
// level, examples/accounts.csv) logs in through the form and finds the menu
// of its role, its role and scope in the title bar, and the pages its role
// may not use closed to it; a wrong password is answered in Chinese, and the
// lock-out after repeated failures is explained.
import assert from 'node:assert/strict'
import { browserTest, sharedServer, startServer, login, fillLogin, menuTitles, settle } from './lib.mjs'

const ALL = ['首页', '台账', '导入', '报告', '上报审核', '留痕', '用户']
const MENU = {
  管理员: ALL,
  填报: ALL.filter((p) => p !== '用户'),
  审核: ALL.filter((p) => p !== '用户' && p !== '导入'),
  查看: ALL.filter((p) => p !== '用户' && p !== '导入'),
}
const ROLE = { guanli: '管理员', shenhe: '审核', tianbao: '填报', chakan: '查看' }
// the scope each account's title bar shows (examples/accounts.csv)
const SCOPE = { shi: '商丘市(市)', xian: '鹿邑县(县)', xiang: '宋河镇(乡)', cun: '卢尧村(村)', danwei: '县文化广电旅游局' }

// the demo accounts by level, each level's four roles (and the 招商 unit)
const LEVELS = Object.keys(SCOPE).map((level) => ({
  level,
  accounts: Object.keys(ROLE).map((r) => ({ user: `${level}_${r}`, role: ROLE[r], scope: SCOPE[level] })),
}))
LEVELS.push({ level: 'zhaoshang', accounts: [{ user: 'zhaoshang_tianbao', role: '填报', scope: '虞城县' }] })

// Goes to path inside the app, as a link would (the app's router and its
// guard decide), and answers the path it ends on.
async function visit(page, path) {
  await page.evaluate((p) => document.querySelector('#app').__vue_app__.config.globalProperties.$router.push(p), path)
  await settle(page)
  return new URL(page.url()).pathname
}

async function logout(page) {
  await page.locator('.tz-header .tz-user').click()
  await page.locator('.el-dropdown-menu__item', { hasText: '退出登录' }).click()
  await page.waitForURL((u) => u.pathname === '/login')
}

for (const { level, accounts } of LEVELS) {
  const who = accounts.map((a) => `${a.user}(${a.role})`).join('、')
  browserTest(`登录 ${SCOPE[level] || '虞城县'}的账户 ${who}:菜单、角色、范围与不可用的页面,退出登录`, { srv: sharedServer }, async ({ page, watch }) => {
    await login(page, watch, accounts[0].user)
    for (const [i, a] of accounts.entries()) {
      if (i > 0) {
        // the next account logs in on the same page after the last logged out
        await fillLogin(page, a.user, 'taizhang-demo')
        await page.waitForURL((u) => u.pathname === '/')
        await settle(page)
      }
      assert.equal(new URL(page.url()).pathname, '/')
      assert.deepEqual(await menuTitles(page), MENU[a.role], `${a.user} 的菜单`)
      assert.equal((await page.locator('.tz-header .tz-role').innerText()).trim(), a.role)
      assert.equal((await page.locator('.tz-header .tz-scope').innerText()).trim(), a.scope)
      assert.equal((await page.locator('.tz-header .tz-user').innerText()).trim(), a.user)
      // a page the role may not use sends it to 首页; one it may use opens
      for (const [p, title, hook] of [['/users', '用户', 'page-users'], ['/import', '导入', 'page-import']]) {
        const may = MENU[a.role].includes(title)
        assert.equal(await visit(page, p), may ? p : '/', `${a.user} 打开 ${p}`)
        await page.locator(`[data-test=${may ? hook : 'page-dashboard'}]`).waitFor()
      }
      await visit(page, '/')
      await logout(page)
    }
  })
}

browserTest('登录 xian_chakan:在地址栏输入无权使用的页面,回到首页', { srv: sharedServer }, async ({ page, watch }) => {
  await login(page, watch, 'xian_chakan')
  for (const p of ['/users', '/import']) {
    await page.goto(p)
    await settle(page)
    assert.equal(new URL(page.url()).pathname, '/', `xian_chakan 不应能打开 ${p}`)
  }
})

browserTest('登录:密码错误用中文说明,连续失败后暂停登录并说明原因', {
  srv: () => startServer({ users: [{ name: 'suoding_ceshi', role: '填报', region: '411628101000' }] }),
}, async ({ page, watch }) => {
  watch.expect(401, /^GET \/api\/me$/)
  watch.expect(401, /^POST \/api\/login$/)
  watch.expect(429, /^POST \/api\/login$/)
  await page.goto('/login')
  // nothing typed: the form says what is missing, and asks nothing of the server
  await page.locator('button[type=submit]').click()
  await page.getByText('请输入用户名').waitFor()
  await page.getByText('请输入密码').waitFor()

  const alert = page.locator('[data-test=login-error]')
  await fillLogin(page, 'suoding_ceshi', 'wrong-password')
  await alert.getByText('用户名或密码错误').waitFor()
  assert.equal(new URL(page.url()).pathname, '/login')
  // the password field is emptied for the next try
  assert.equal(await page.locator('input[name=password]').inputValue(), '')

  for (let i = 2; i <= 5; i++) {
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/login')), fillLogin(page, 'suoding_ceshi', `wrong-${i}`)])
    // the page has taken the answer when it empties the password
    await page.waitForFunction(() => document.querySelector('input[name=password]').value === '')
  }
  // the sixth try, with the right password, is refused and explained
  await fillLogin(page, 'suoding_ceshi', 'taizhang-demo')
  await alert.getByText('登录失败次数过多').waitFor()
  const text = await alert.innerText()
  assert.match(text, /15分钟/)
  assert.match(text, /连续登录失败5次/)
  assert.match(text, /管理员/)
  assert.equal(new URL(page.url()).pathname, '/login')

  // the other accounts are not locked
  await fillLogin(page, 'xiang_tianbao', 'taizhang-demo')
  await page.waitForURL((u) => u.pathname === '/')
})
