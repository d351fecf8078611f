// Interim: the 首页's view assembled from /api/check and /api/indicators,
// in the shape of GET /api/dashboard, for a server that does not have that
// route yet (404). Removed once /api/dashboard is on main.
import { api } from '../api.js'

const CHILD_DIM = { 市: ['county', '县'], 县: ['township', '乡'], 乡: ['village', '村'] }

export function levelOf(code) {
  if (!code) return ''
  if (/0{10}$/.test(code)) return '省'
  if (/0{8}$/.test(code)) return '市'
  if (/0{6}$/.test(code)) return '县'
  if (/0{3}$/.test(code)) return '乡'
  return '村'
}

function timeProgress(year) {
  const now = new Date()
  if (now.getFullYear() > year) return 100
  if (now.getFullYear() < year) return 0
  const start = new Date(year, 0, 1)
  const end = new Date(year + 1, 0, 1)
  return Math.round(((now - start) / (end - start)) * 1000) / 10
}

export async function assembleDashboard(params) {
  const check = await api.get('/api/check', params)
  const year = Number(check.period.label.slice(0, 4))
  const targets = check.targets.map((t) => ({
    ...t,
    rate: t.target ? (t.actual / t.target) * 100 : null,
    time_progress: timeProgress(t.year),
  }))
  const figures = check.figures.map((f) => ({ ...f, year_on_year: null }))
  const trendName = '户户通安装户数'
  const level = params.region ? levelOf(params.region) : ''
  const child = CHILD_DIM[level]
  const childName = (targets[0] && targets[0].indicator) || trendName
  const [kids, now, before] = await Promise.all([
    child ? api.get(`/api/indicators/${encodeURIComponent(childName)}`, { ...params, period: check.period.label, by: child[0] }) : null,
    api.get(`/api/indicators/${encodeURIComponent(trendName)}`, { ...params, period: String(year), by: 'month' }),
    api.get(`/api/indicators/${encodeURIComponent(trendName)}`, { ...params, period: String(year - 1), by: 'month' }),
  ])
  const prev = new Map((before.groups || []).map((g) => [g.key.slice(5), g.value]))
  const months = []
  for (let m = 1; m <= 12; m++) {
    const mm = String(m).padStart(2, '0')
    const g = (now.groups || []).find((x) => x.key.slice(5) === mm)
    months.push({ month: `${year}-${mm}`, value: g ? g.value : 0, previous: prev.get(mm) || 0 })
  }
  return {
    scope: check.scope,
    period: check.period,
    summary: check.summary,
    findings: check.findings,
    figures,
    targets,
    children: kids
      ? {
          level: child[1],
          items: kids.groups.map((g) => ({ code: g.key, name: g.label, figures: { [childName]: g.value }, targets: [] })),
        }
      : null,
    trend: { indicator: trendName, unit: now.unit, months },
  }
}
