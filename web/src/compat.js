// What the bundled libraries call that older Chromium engines lack: the
// 360 and QQ browsers' fast mode in many offices runs Chromium 86–91, which
// has no Array.prototype.at (Element Plus's tree calls it). The build
// target (vite.config.js) lowers the syntax; this fills in the one method.
function at(i) {
  const n = Math.trunc(i) || 0
  const k = n < 0 ? this.length + n : n
  return k < 0 || k >= this.length ? undefined : this[k]
}
for (const C of [Array, String]) {
  if (!C.prototype.at) Object.defineProperty(C.prototype, 'at', { value: at, writable: true, configurable: true })
}
