// What each role may do in the pages (the server checks the same on every
// request, docs/api.md "Accounts and scope"; this only hides what would be refused).
import { session } from './api.js'

const MAY = {
  write: ['管理员', '填报'], // rows, imports, 上报
  review: ['管理员', '审核'], // approve, return, reopen
  users: ['管理员'],
  unmasked: ['管理员', '审核', '填报'],
}

export function may(what) {
  const me = session.me
  return !!me && (MAY[what] || []).includes(me.role)
}

// The caller's scope as API parameters: {region} or {unit}.
export function scopeParams(me = session.me) {
  if (!me) return {}
  return me.scope.kind === 'unit' ? { unit: me.scope.unit } : { region: me.scope.code }
}

export function scopeLabel(me = session.me) {
  if (!me) return ''
  const s = me.scope
  return s.kind === 'unit' ? s.name || s.unit : `${s.name}(${s.level})`
}
