// The one HTTP client of the console: base /api/v1, bearer token, JSON both ways, and errors
// turned into ApiError carrying the API's {code, message, field} plus the HTTP status.
import { auth, clearSession } from './auth.js'

export const BASE = '/api/v1'

export class ApiError extends Error {
  constructor(status, code, message, field, body) {
    super(message || code || `HTTP ${status}`)
    this.status = status
    this.code = code
    this.field = field
    this.body = body
  }
}

function headers(extra) {
  const h = { ...extra }
  if (auth.token) h.Authorization = `Bearer ${auth.token}`
  return h
}

function qs(params) {
  if (!params) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    p.set(k, v)
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

async function handle(res, { raw = false } = {}) {
  if (res.status === 401 && auth.token) {
    clearSession()
    if (!location.pathname.startsWith('/login')) location.assign('/login?expired=1')
  }
  if (!res.ok) {
    let body = null
    try { body = await res.json() } catch { /* not JSON */ }
    const e = body && body.error ? body.error : {}
    throw new ApiError(res.status, e.code || (res.status === 0 ? 'network' : 'http'), e.message, e.field, body)
  }
  if (raw) return res
  if (res.status === 204) return null
  const ct = res.headers.get('content-type') || ''
  return ct.includes('json') ? res.json() : res.text()
}

async function request(method, path, { params, body, headers: extra, raw, signal } = {}) {
  let res
  try {
    const init = { method, headers: headers(extra), signal }
    if (body !== undefined) {
      if (body instanceof Blob || body instanceof ArrayBuffer) init.body = body
      else { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json' }
    }
    res = await fetch(BASE + path + qs(params), init)
  } catch (err) {
    if (err.name === 'AbortError') throw err
    throw new ApiError(0, 'network', null, null, null)
  }
  return handle(res, { raw })
}

export const api = {
  get: (path, params, opts) => request('GET', path, { params, ...opts }),
  post: (path, body, opts) => request('POST', path, { body, ...opts }),
  patch: (path, body, opts) => request('PATCH', path, { body, ...opts }),
  del: (path, opts) => request('DELETE', path, opts),
  postFile: (path, blob, type) => request('POST', path, { body: blob, headers: { 'Content-Type': type } }),
  upload: (blob, type) => request('POST', '/attachments', { body: blob, headers: { 'Content-Type': type } }),
  raw: (path, params, opts) => request('GET', path, { params, raw: true, ...opts }),
  qs,
}

// GET that answers null on 404 (endpoints still being built: /stats/*, /events/export)
export async function getOptional(path, params) {
  try {
    return await api.get(path, params)
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 501)) return null
    throw e
  }
}

// every page of a list, up to max items
export async function getAll(path, params = {}, max = 2000) {
  const items = []
  let cursor = null
  do {
    const page = await api.get(path, { ...params, limit: Math.min(500, max - items.length), cursor })
    items.push(...page.items)
    cursor = page.next_cursor
  } while (cursor && items.length < max)
  return { items, truncated: !!cursor }
}

// a photo as an object URL (attachments need the bearer token, so <img src> cannot fetch them)
const photoCache = new Map()
export async function photoUrl(id) {
  if (photoCache.has(id)) return photoCache.get(id)
  const res = await api.raw(`/attachments/${id}`)
  const url = URL.createObjectURL(await res.blob())
  photoCache.set(id, url)
  return url
}
