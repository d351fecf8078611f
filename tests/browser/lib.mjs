// The browser tests' shared harness: the demo database (made once per run),
// `taizhang serve` on fresh copies of it, one headless chromium (Debian's,
// driven by playwright-core) with a new context per test, the login through
// the real form, the watch on console errors, page errors and failed requests
// (asserted empty at the end of every test), screenshots into
// out/screenshots/, and a tiny unzip for the xlsx and docx the pages download.
import { spawn, execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { test } from 'node:test'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = process.env.TZ_BIN || path.join(ROOT, 'build/taizhang')
export const CHROMIUM = process.env.TZ_CHROMIUM || '/usr/bin/chromium'
export const SHOTS = path.join(ROOT, 'out/screenshots')
export const PASSWORD = 'taizhang-demo'
export const DESKTOP = { width: 1366, height: 768 }
export const PHONE = { width: 390, height: 844 }

// playwright-core is a devDependency of web/ (web/package-lock.json).
const { chromium } = createRequire(path.join(ROOT, 'web/package.json'))('playwright-core')

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'tz-browser-'))
const servers = new Set()
let demoPath = null
let browserPromise = null

function tz(args, input) {
  return execFileSync(BIN, args, {
    cwd: ROOT,
    env: { ...process.env, TAIZHANG_HOME: ROOT },
    input: input === undefined ? '' : input,
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString()
}

// The demo database, made once per run with `taizhang demo`.
export function demoDb() {
  if (!demoPath) {
    demoPath = path.join(TMP, 'demo.db')
    tz(['demo', demoPath])
  }
  return demoPath
}

let serverCount = 0

// `taizhang serve` on a fresh copy of the demo database, on a free port.
// users: extra accounts made with `taizhang user add` before it starts
// ([{name, role, region | unit, password}]). Answers {url, db, stop()}.
export async function startServer({ users = [] } = {}) {
  const db = path.join(TMP, `serve-${++serverCount}.db`)
  fs.copyFileSync(demoDb(), db)
  for (const u of users) {
    const where = u.unit ? ['--unit', u.unit] : ['--region', u.region]
    tz(['user', 'add', db, u.name, '--role', u.role, ...where], (u.password || PASSWORD) + '\n')
  }
  const proc = spawn(BIN, ['serve', db, '--listen', '127.0.0.1:0', '--quiet'], {
    cwd: ROOT,
    env: { ...process.env, TAIZHANG_HOME: ROOT },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let errText = ''
  proc.stderr.on('data', (d) => (errText += d))
  const url = await new Promise((resolve, reject) => {
    let out = ''
    proc.stdout.on('data', (d) => {
      out += d
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//)
      if (m) resolve(m[0].replace(/\/$/, ''))
    })
    proc.on('exit', (code) => reject(new Error(`taizhang serve 退出(${code}): ${out}${errText}`)))
  })
  const srv = {
    url,
    db,
    proc,
    stop: () =>
      new Promise((resolve) => {
        servers.delete(srv)
        if (proc.exitCode !== null) return resolve()
        proc.once('exit', () => resolve())
        proc.kill('SIGTERM')
      }),
  }
  servers.add(srv)
  return srv
}

// The one chromium of the run.
export function browser() {
  if (!browserPromise) {
    browserPromise = chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--font-render-hinting=none'],
    })
  }
  return browserPromise
}

// Ends the run: the browser, every server, the temporary files.
export async function closeAll() {
  if (browserPromise) await (await browserPromise).close()
  browserPromise = null
  await Promise.all([...servers].map((s) => s.stop()))
  fs.rmSync(TMP, { recursive: true, force: true })
}

// The console errors, page errors and failed requests of a page. A test
// that provokes an error answer says so first with expect().
class Watch {
  constructor(page) {
    this.problems = []
    this.allowed = []
    page.on('console', (m) => {
      if (m.type() !== 'error') return
      // a failed load is reported by the response check below, which
      // knows what the test expected
      if (/^Failed to load resource: the server responded with a status of/.test(m.text())) return
      this.problems.push(`console: ${m.text()} (${m.location().url || ''})`)
    })
    page.on('pageerror', (e) => this.problems.push(`page error: ${e.message}`))
    page.on('requestfailed', (r) => {
      const why = r.failure() ? r.failure().errorText : ''
      // a download the browser hands to the download manager is "aborted"
      if (why === 'net::ERR_ABORTED' && (r.url().startsWith('blob:') || r.isNavigationRequest())) return
      this.problems.push(`request failed: ${r.method()} ${r.url()} ${why}`)
    })
    page.on('response', (r) => {
      if (r.status() < 400) return
      const u = new URL(r.url())
      const what = `${r.request().method()} ${u.pathname}`
      if (this.allowed.some((a) => a.status === r.status() && a.re.test(what))) return
      this.problems.push(`HTTP ${r.status()}: ${what}${u.search}`)
    })
  }

  // Lets answers with this status to requests matching re ("POST /api/login")
  // pass; answers the undo.
  expect(status, re) {
    const a = { status, re }
    this.allowed.push(a)
    return () => (this.allowed = this.allowed.filter((x) => x !== a))
  }
}

// A test in a new browser context: fn({t, page, context, watch, srv, as})
// runs, then the test fails if any of its pages logged an error or had a
// request fail. as(user, viewport) opens another context logged in as user
// (for flows between two accounts) and answers {page, watch}.
// opts: {srv (a server or a function answering one), viewport, timeout}.
export function browserTest(name, opts, fn) {
  test(name, { timeout: opts.timeout || 120000 }, async (t) => {
    const srv = typeof opts.srv === 'function' ? await opts.srv() : opts.srv
    const b = await browser()
    const contexts = []
    const watches = []
    const open = async (viewport) => {
      const context = await b.newContext({
        baseURL: srv.url,
        viewport: viewport || opts.viewport || DESKTOP,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        acceptDownloads: true,
      })
      context.setDefaultTimeout(30000)
      contexts.push(context)
      const page = await context.newPage()
      const watch = new Watch(page)
      watches.push(watch)
      return { context, page, watch }
    }
    const as = async (user, viewport) => {
      const o = await open(viewport)
      await login(o.page, o.watch, user)
      return o
    }
    try {
      const { context, page, watch } = await open()
      await fn({ t, page, context, watch, srv, as })
    } catch (e) {
      await failureShots(name, contexts)
      throw e
    } finally {
      for (const c of contexts) await c.close()
    }
    const problems = watches.flatMap((w) => w.problems)
    assert.deepEqual(problems, [], '页面有控制台错误或失败的请求')
  })
}

// On a failure, what each page showed: out/failures/<test>-<n>.png.
async function failureShots(name, contexts) {
  const dir = path.join(ROOT, 'out/failures')
  fs.mkdirSync(dir, { recursive: true })
  let n = 0
  for (const c of contexts)
    for (const p of c.pages()) {
      const file = path.join(dir, `${name.replace(/[\/:*?"<>| ]/g, '_').slice(0, 60)}-${++n}.png`)
      await p.screenshot({ path: file, fullPage: true }).catch(() => {})
      console.error(`失败时的页面:${file}(${p.url()})`)
    }
}

// Waits until the page has settled: no request in flight for 500 ms and no
// loading mask shown.
export async function settle(page) {
  await page.waitForLoadState('networkidle')
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.el-loading-mask')].every((m) => m.offsetParent === null),
  )
}

// Logs in through the login form and waits for the page after it.
export async function login(page, watch, user, password = PASSWORD) {
  // before the login the app asks who is logged in: nobody (401)
  const undo = watch.expect(401, /^GET \/api\/me$/)
  await page.goto('/login')
  await fillLogin(page, user, password)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  undo()
  await settle(page)
}

export async function fillLogin(page, user, password) {
  await page.locator('input[name=username]').fill(user)
  await page.locator('input[name=password]').fill(password)
  await page.locator('button[type=submit]').click()
}

// The menu's page titles, in order.
export async function menuTitles(page) {
  return (await page.locator('.tz-nav .el-menu-item').allInnerTexts()).map((s) => s.trim())
}

// Clicks a menu item by its title and waits for the page.
export async function openByMenu(page, title) {
  await page.locator('.tz-nav .el-menu-item', { hasText: title }).first().click()
  await settle(page)
}

// A screenshot of the whole page into out/screenshots/<name>-<1366x768|phone>.png.
export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true })
  const vp = page.viewportSize()
  const size = vp.width < 768 ? 'phone' : `${vp.width}x${vp.height}`
  const file = path.join(SHOTS, `${name}-${size}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

// True when the page scrolls sideways (a table should scroll inside itself).
export function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1)
}

// The entries of a zip file (xlsx, docx): {name: Buffer}.
export function unzip(buf) {
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  assert.ok(eocd >= 0, '不是 zip 文件')
  const count = buf.readUInt16LE(eocd + 10)
  let at = buf.readUInt32LE(eocd + 16)
  const out = {}
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'zip 目录损坏')
    const method = buf.readUInt16LE(at + 10)
    const size = buf.readUInt32LE(at + 20)
    const nameLen = buf.readUInt16LE(at + 28)
    const extraLen = buf.readUInt16LE(at + 30)
    const commentLen = buf.readUInt16LE(at + 32)
    const local = buf.readUInt32LE(at + 42)
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8')
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(dataAt, dataAt + size)
    out[name] = method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data)
    at += 46 + nameLen + extraLen + commentLen
  }
  return out
}

function xmlText(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
}

// The first sheet of an xlsx as rows of strings (shared and inline strings,
// numbers as written).
export function xlsxRows(buf) {
  const z = unzip(buf)
  const shared = []
  if (z['xl/sharedStrings.xml']) {
    for (const si of z['xl/sharedStrings.xml'].toString().match(/<si>[\s\S]*?<\/si>/g) || []) {
      shared.push(xmlText((si.match(/<t[^>]*>[\s\S]*?<\/t>/g) || []).map((x) => x.replace(/<[^>]+>/g, '')).join('')))
    }
  }
  const sheet = z['xl/worksheets/sheet1.xml'].toString()
  const rows = []
  for (const r of sheet.match(/<row[^>]*>[\s\S]*?<\/row>|<row[^>]*\/>/g) || []) {
    const row = []
    for (const c of r.match(/<c [^>]*?(\/>|>[\s\S]*?<\/c>)/g) || []) {
      const ref = c.match(/r="([A-Z]+)\d+"/)[1]
      let col = 0
      for (const ch of ref) col = col * 26 + ch.charCodeAt(0) - 64
      const type = (c.match(/t="(\w+)"/) || [])[1]
      const v = (c.match(/<v>([\s\S]*?)<\/v>/) || [])[1]
      let val = ''
      if (type === 's') val = shared[Number(v)]
      else if (type === 'inlineStr') val = xmlText((c.match(/<t[^>]*>([\s\S]*?)<\/t>/) || [])[1] || '')
      else if (v !== undefined) val = xmlText(v)
      row[col - 1] = val
    }
    rows.push(Array.from(row, (x) => (x === undefined ? '' : x)))
  }
  return rows
}

// The text of a docx's body, paragraph by paragraph.
export function docxParagraphs(buf) {
  const doc = unzip(buf)['word/document.xml'].toString()
  return (doc.match(/<w:p[ >][\s\S]*?<\/w:p>/g) || []).map((p) =>
    xmlText((p.match(/<w:t[^>]*>[\s\S]*?<\/w:t>/g) || []).map((x) => x.replace(/<[^>]+>/g, '')).join('')),
  )
}

// Calls the API with the page's session (cookie and CSRF token): for
// setting up or reading back what a test needs beside the page under test.
export async function apiCall(page, method, urlPath, body) {
  return page.evaluate(
    async ({ method, urlPath, body }) => {
      const me = await (await fetch('/api/me')).json()
      const res = await fetch(urlPath, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: res.status, body: await res.json().catch(() => null) }
    },
    { method, urlPath, body },
  )
}

// A downloaded file's bytes.
export async function downloadBytes(download) {
  const p = await download.path()
  return fs.readFileSync(p)
}

export { TMP }

let shared = null
// One server on the demo data for the tests that only read.
export function sharedServer() {
  if (!shared) shared = startServer()
  return shared
}
