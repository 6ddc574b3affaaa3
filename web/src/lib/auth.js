// The session: token and user, kept in localStorage so that a reload stays logged in.
import { reactive } from 'vue'

const KEY = 'gridgov.session'

function load() {
  try { return JSON.parse(localStorage.getItem(KEY)) || {} } catch { return {} }
}

export const auth = reactive({ token: null, user: null, expiresAt: null, ...load() })

export function setSession({ token, user, expires_at }) {
  auth.token = token
  auth.user = user
  auth.expiresAt = expires_at
  localStorage.setItem(KEY, JSON.stringify({ token, user, expiresAt: expires_at }))
}

export function clearSession() {
  auth.token = null
  auth.user = null
  auth.expiresAt = null
  localStorage.removeItem(KEY)
}

export function loggedIn() {
  if (!auth.token) return false
  if (auth.expiresAt && Date.parse(auth.expiresAt) < Date.now()) { clearSession(); return false }
  return true
}

export const role = () => (auth.user ? auth.user.role : null)
export const isMobileRole = () => ['grid_officer', 'resident', 'member'].includes(role())

// where a role lands after login
export function homeFor(user, narrow) {
  const r = user && user.role
  if (r === 'resident' || r === 'member') return '/m/report'
  if (r === 'grid_officer') return narrow ? '/m/tasks' : '/events'
  if (r === 'handler' || r === 'staff') return '/events'
  return '/dashboard'
}
