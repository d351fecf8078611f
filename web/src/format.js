// Numbers and dates as a Chinese office writes them.
const nf = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 })

export function num(v) {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v !== 'number') return String(v)
  return nf.format(v)
}

export function pct(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  return `${v.toFixed(digits)}%`
}

// 同比: "+12.3%" / "-4.0%" / "持平".
export function yoy(rate) {
  if (rate === null || rate === undefined) return '—'
  if (Math.abs(rate) < 0.05) return '持平'
  return `${rate > 0 ? '+' : ''}${rate.toFixed(1)}%`
}
