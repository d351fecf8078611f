// The one client of the taizhang HTTP API (docs/api.md): JSON in and out, the
// session's CSRF token on every write, errors as ApiError with the server's
// Chinese message and its details. Every page talks to the server through it.
import { reactive } from 'vue'

// The logged-in account as /api/login and /api/me answer it, or null.
export const session = reactive({ me: null })

// A hint kept in the browser that this tab's browser logged in (never the
// token: the session cookie is HttpOnly). Without it the app does not ask
// /api/me, which would answer 401 before every first login.
const HINT = 'tz_logged_in'
function hint(on) {
  try {
    if (on) localStorage.setItem(HINT, '1')
    else localStorage.removeItem(HINT)
  } catch (e) {
    /* storage disabled: /api/me is asked every time */
  }
}
function hinted() {
  try {
    return localStorage.getItem(HINT) !== null
  } catch (e) {
    return true
  }
}

export class ApiError extends Error {
  constructor(status, message, details, body) {
    super(message)
    this.status = status
    this.details = details || []
    this.body = body || null
  }
}

function query(params) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x))
    else q.append(k, v)
  }
  const s = q.toString()
  return s ? '?' + s : ''
}

export function url(path, params) {
  return path + query(params)
}

const NET_ERROR = '无法连接台账服务,请检查网络或稍后再试'

async function parse(res) {
  const type = res.headers.get('Content-Type') || ''
  let body = null
  if (type.includes('application/json')) {
    try {
      body = await res.json()
    } catch (e) {
      body = null
    }
  }
  if (!res.ok) {
    if (res.status === 401) hint(false)
    if (res.status === 401 && session.me) {
      session.me = null
      if (onExpired) onExpired()
    }
    const msg = (body && body.error) || `请求失败(HTTP ${res.status})`
    throw new ApiError(res.status, msg, body && body.details, body)
  }
  return body
}

let onExpired = null
// Called once by the router: where to go when the session ends.
export function onSessionExpired(fn) {
  onExpired = fn
}

async function send(method, path, { params, body, headers, raw } = {}) {
  const h = { Accept: 'application/json', ...(headers || {}) }
  if (method !== 'GET' && session.me) h['X-CSRF-Token'] = session.me.csrf
  let payload
  if (body !== undefined && !raw) {
    h['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  } else if (raw) {
    payload = body
  }
  let res
  try {
    res = await fetch(url(path, params), {
      method,
      headers: h,
      body: payload,
      credentials: 'same-origin',
    })
  } catch (e) {
    throw new ApiError(0, NET_ERROR)
  }
  return res
}

export const api = {
  async get(path, params) {
    return parse(await send('GET', path, { params }))
  },
  async post(path, body, params) {
    return parse(await send('POST', path, { params, body: body === undefined ? {} : body }))
  },
  async del(path, params) {
    return parse(await send('DELETE', path, { params }))
  },
  // Sends a file's bytes (an import); answers the JSON, or for a binary
  // answer (an xlsx) { blob, filename }.
  async upload(path, file, { params, importId } = {}) {
    const headers = { 'X-Filename': encodeURIComponent(file.name) }
    if (importId) headers['X-Import-Id'] = importId
    const res = await send('POST', path, { params, body: file, raw: true, headers })
    const type = res.headers.get('Content-Type') || ''
    if (res.ok && !type.includes('application/json')) {
      return { blob: await res.blob(), filename: filenameOf(res) || file.name }
    }
    return parse(res)
  },
  // A GET download (xlsx, docx): fetched so that errors show in the page,
  // then saved under the server's file name.
  async download(path, params, fallbackName) {
    const res = await send('GET', path, { params })
    if (!res.ok) return parse(res)
    const blob = await res.blob()
    saveBlob(blob, filenameOf(res) || fallbackName || 'download')
    return blob
  },
  async login(username, password) {
    const me = await parse(await send('POST', '/api/login', { body: { username, password } }))
    session.me = me
    hint(true)
    return me
  },
  async logout() {
    try {
      await api.post('/api/logout')
    } finally {
      session.me = null
      hint(false)
    }
  },
  async me() {
    if (!hinted()) {
      session.me = null
      return null
    }
    try {
      session.me = await api.get('/api/me')
    } catch (e) {
      session.me = null
      if (e.status !== 401) throw e
    }
    return session.me
  },
}

function filenameOf(res) {
  const cd = res.headers.get('Content-Disposition') || ''
  const star = cd.match(/filename\*=UTF-8''([^;]+)/i)
  if (star) return decodeURIComponent(star[1])
  const plain = cd.match(/filename="([^"]+)"/i)
  return plain ? plain[1] : null
}

export function saveBlob(blob, name) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  document.body.appendChild(a)
  a.click()
  setTimeout(() => {
    URL.revokeObjectURL(a.href)
    a.remove()
  }, 1000)
}
