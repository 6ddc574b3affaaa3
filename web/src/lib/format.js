// Dates in Beijing time whatever the browser's zone; the API speaks UTC RFC 3339.
const TZ = 'Asia/Shanghai'
const fmtFull = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
const fmtShort = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
const fmtDay = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' })
const fmtClock = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })

export function fmtTime(iso) {
  if (!iso) return '—'
  const d = new Date(iso)
  return isNaN(d) ? '—' : fmtFull.format(d).replace(/\//g, '-')
}
export function fmtShortTime(iso) {
  if (!iso) return '—'
  const d = new Date(iso)
  return isNaN(d) ? '—' : fmtShort.format(d).replace(/\//g, '-')
}
export const clock = (d = new Date()) => fmtClock.format(d)
// 'YYYY-MM-DD' of a moment, in Beijing
export const beijingDay = (d = new Date()) => fmtDay.format(d)
// the UTC instant at which a Beijing day starts: '2026-11-23' -> '2026-11-22T16:00:00.000Z'
export const dayStartUtc = (day) => new Date(`${day}T00:00:00+08:00`).toISOString()
export const dayEndUtc = (day) => new Date(new Date(`${day}T00:00:00+08:00`).getTime() + 86400000).toISOString()
export function daysAgo(n) {
  return beijingDay(new Date(Date.now() - n * 86400000))
}
export function pct(x) {
  return x === null || x === undefined || isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`
}
// how long until (or since) a due time, as words
export function dueText(iso, t) {
  if (!iso) return ''
  const ms = Date.parse(iso) - Date.now()
  const h = Math.abs(ms) / 3600000
  const s = h >= 48 ? t('time.days', { n: Math.round(h / 24) }) : h >= 1 ? t('time.hours', { n: Math.round(h) }) : t('time.minutes', { n: Math.max(1, Math.round(h * 60)) })
  return ms >= 0 ? t('time.left', { s }) : t('time.over', { s })
}
