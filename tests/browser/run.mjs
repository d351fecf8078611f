// Runs every tests/browser/*.test.mjs in one process, so that the whole run
// shares one chromium (a new context per test) and one demo database; then
// closes the browser and the servers. Run by tests/browser/run.sh.
import { after } from 'node:test'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { closeAll } from './lib.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const only = process.env.TZ_BROWSER_ONLY // e.g. "login" runs login.test.mjs only
for (const f of fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort()) {
  if (only && !only.split(',').some((o) => f.startsWith(o))) continue
  await import(path.join(here, f))
}
after(closeAll)
