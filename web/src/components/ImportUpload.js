// Sends an import's file with upload progress: what api.upload does
// (X-Filename, X-Import-Id, the CSRF token; the JSON answer, or
// {blob, filename} for a binary one; errors as ApiError), over
// XMLHttpRequest, because fetch cannot tell how much of a body has been
// sent. onSent(loaded, total) follows the upload; onUploaded() is called
// once the whole file is with the server, from when its progress can be
// asked for (GET /api/imports/{id}: the server knows the import only once
// it has the whole body).
import { api, ApiError, session, url } from '../api.js'

const NET_ERROR = '无法连接台账服务,请检查网络或稍后再试'

function filenameOf(xhr) {
  const cd = xhr.getResponseHeader('Content-Disposition') || ''
  const star = cd.match(/filename\*=UTF-8''([^;]+)/i)
  if (star) return decodeURIComponent(star[1])
  const plain = cd.match(/filename="([^"]+)"/i)
  return plain ? plain[1] : null
}

export function uploadWithProgress(path, file, { params, importId, onSent, onUploaded } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url(path, params))
    xhr.responseType = 'blob'
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('X-Filename', encodeURIComponent(file.name))
    if (importId) xhr.setRequestHeader('X-Import-Id', importId)
    if (session.me) xhr.setRequestHeader('X-CSRF-Token', session.me.csrf)
    xhr.upload.onprogress = (e) => onSent && onSent(e.loaded, e.lengthComputable ? e.total : file.size)
    xhr.upload.onload = () => onUploaded && onUploaded()
    xhr.onerror = () => reject(new ApiError(0, NET_ERROR))
    xhr.onload = async () => {
      const type = xhr.getResponseHeader('Content-Type') || ''
      const ok = xhr.status >= 200 && xhr.status < 300
      if (ok && !type.includes('application/json')) {
        resolve({ blob: xhr.response, filename: filenameOf(xhr) || file.name })
        return
      }
      let body = null
      if (type.includes('application/json')) {
        try {
          body = JSON.parse(await xhr.response.text())
        } catch (e) {
          body = null
        }
      }
      if (ok) {
        resolve(body)
        return
      }
      if (xhr.status === 401 && session.me) {
        // the session has ended: api.me() finds it so and sends the page to 登录
        try {
          await api.me()
        } catch (e) {
          /* the login page says what is wrong */
        }
      }
      const msg = (body && body.error) || `请求失败(HTTP ${xhr.status})`
      reject(new ApiError(xhr.status, msg, body && body.details, body))
    }
    xhr.send(file)
  })
}
