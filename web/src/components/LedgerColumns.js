// What the 台账 and 导入 pages read from a ledger's column definitions
// (GET /api/ledgers: name, type, choices, key, required, references): which
// control edits or filters a column, how wide it is, how a cell is shown, and
// the where=/key= parameters of the URL. Data-driven: nothing here names a
// ledger.

// The control of a column: enum, bool, date, month, year, int, decimal,
// region, code (a region code typed), ref (a row of another ledger), idcard,
// list, text.
export function kindOf(col) {
  switch (col.type) {
    case '枚举':
      return 'enum'
    case '是/否':
      return 'bool'
    case '日期':
      return 'date'
    case '月份':
      return 'month'
    case '年度':
      return 'year'
    case '整数':
      return 'int'
    case '数值':
      return 'decimal'
    case '区划代码':
      // a code of the region tree is picked from it; the regions ledger's own
      // key (a new region's code) is typed
      return col.references ? 'region' : 'code'
    case '身份证号':
      return 'idcard'
    case '列表(、分隔)':
      return 'list'
    default:
      return col.references && col.references !== 'regions' ? 'ref' : 'text'
  }
}

export function choicesOf(col) {
  return col.choices ? col.choices.split('/').filter((c) => c !== '') : []
}

// The levels a region-code column takes, from its header (所在村代码 → 村,
// 所在县区代码 → 县); null: any level. /api/ledgers does not say the
// column's level (the ledger table's ref_level), so the header tells it.
export function regionLevels(col) {
  const n = col.name
  if (/村代码$/.test(n)) return ['村']
  if (/(县|县区)代码$/.test(n)) return ['县']
  if (/(乡|乡镇)代码$/.test(n)) return ['乡']
  return null
}

// The key columns of a ledger, in order.
export function keyColumns(ledger) {
  return ledger ? ledger.columns.filter((c) => c.key) : []
}

// A row's key as the path of /rows/{key}: its parts, each encoded, joined by /.
export function keyPath(key) {
  return String(key)
    .split('/')
    .map((p) => encodeURIComponent(p))
    .join('/')
}

// The column of another ledger that names its rows (户主姓名 for a 户编号):
// its first text column that is not a key; null when none.
export function labelColumn(ledger) {
  if (!ledger) return null
  const c = ledger.columns.find((x) => !x.key && x.type === '文本')
  return c ? c.name : null
}

// The table's width for a column: enough for its header and its values.
export function widthOf(col) {
  const k = kindOf(col)
  const head = col.name.length * 15 + 40
  const body =
    { region: 200, code: 130, ref: 190, idcard: 170, date: 110, month: 90, year: 80, int: 80, decimal: 100, bool: 70, enum: 120 }[k] ||
    (col.key ? 130 : 120)
  return Math.max(head, body)
}

export function numericKind(col) {
  const k = kindOf(col)
  return k === 'int' || k === 'decimal' || k === 'year'
}

// A cell as text: '' for null.
export function cellText(v) {
  if (v === null || v === undefined) return ''
  return String(v)
}

// where= values of the URL ("列=值", one or many) as {列: 值}.
export function parseWhere(w) {
  const out = {}
  for (const s of [].concat(w || [])) {
    const i = s.indexOf('=')
    if (i > 0) out[s.slice(0, i)] = s.slice(i + 1)
  }
  return out
}

// {列: 值} as where= values; empty values are left out.
export function whereList(obj) {
  return Object.entries(obj || {})
    .filter(([, v]) => v !== '' && v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
}
