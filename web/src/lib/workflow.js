// Which workflow actions the signed-in user may take on an event now, and the fields each
// needs. Mirrors docs/workflow.md; the server still decides (403/409 are shown as they come).
import { auth } from './auth.js'

export const OPEN = ['reported', 'registered', 'dispatched', 'in_progress', 'handled']
export const STATUSES = ['reported', 'registered', 'dispatched', 'in_progress', 'handled', 'closed', 'rejected', 'merged']
export const SOURCES = ['app', 'patrol', 'sensor', 'hotline', 'visit', 'walkin']
export const COLORS = ['green', 'yellow', 'red']
export const ROLES = ['admin', 'command', 'leader', 'staff', 'grid_officer', 'handler', 'member', 'resident']
export const ORG_KINDS = ['city', 'district', 'street', 'community', 'grid', 'building', 'unit', 'department']

// action -> { from: states, roles, who: extra test, fields, danger, primary }
const RULES = {
  register: { from: ['reported'], roles: ['command', 'staff'], primary: true },
  reject: { from: ['reported', 'registered'], roles: ['command', 'staff'], fields: ['note!'], danger: true },
  dispatch: { from: ['registered', 'dispatched'], roles: ['command', 'staff'], fields: ['org_id!', 'note'], primary: true },
  sign: { from: ['dispatched'], assignee: true, roles: ['staff', 'grid_officer', 'handler'], primary: true },
  return: { from: ['dispatched', 'in_progress'], assignee: true, roles: ['staff', 'grid_officer', 'handler'], fields: ['note!'], danger: true },
  handle: { from: ['in_progress'], assignee: true, roles: ['staff', 'grid_officer', 'handler'], fields: ['note!', 'photos'], primary: true },
  verify_ok: { from: ['handled'], verifier: true, roles: ['command', 'staff', 'grid_officer', 'resident', 'member'], fields: ['note'], primary: true },
  verify_fail: { from: ['handled'], verifier: true, roles: ['command', 'staff', 'grid_officer', 'resident', 'member'], fields: ['note!'], danger: true },
  escalate: { from: ['registered', 'dispatched', 'in_progress'], assigneeOr: ['command'], roles: ['command', 'staff', 'grid_officer', 'handler'], fields: ['note!'] },
  self_handle: { from: ['reported', 'registered', 'dispatched', 'in_progress'], gridOfficer: true, roles: ['grid_officer'], fields: ['note!', 'photos'], primary: true },
  supervise: { from: OPEN, roles: ['command', 'leader'], fields: ['note!'], whileSuspended: true },
  whistle: { from: OPEN, roles: ['command', 'staff'], fields: ['departments!', 'note'] },
  report_in: { from: OPEN, whistled: true, roles: ['handler'], fields: ['note'] },
  suspend: { from: ['registered', 'dispatched', 'in_progress'], roles: ['command'], fields: ['note!'], danger: true },
  resume: { from: ['registered', 'dispatched', 'in_progress'], roles: ['command'], onlySuspended: true },
  extend: { from: ['registered', 'dispatched', 'in_progress'], roles: ['command'], fields: ['extend_hours!', 'note!'] },
  merge: { from: ['reported', 'registered'], roles: ['command', 'staff'], fields: ['merge_into!', 'note'], danger: true },
  rate: { from: ['closed'], reporter: true, roles: ['resident', 'member', 'grid_officer', 'staff', 'command', 'handler', 'leader'], fields: ['rating!', 'note'], primary: true },
}
export const ACTIONS = Object.keys(RULES)

export function fieldsOf(action) {
  return (RULES[action].fields || []).map((f) => ({ name: f.replace('!', ''), required: f.endsWith('!') }))
}
export const isDanger = (a) => !!RULES[a].danger
export const isPrimary = (a) => !!RULES[a].primary

export function allowedActions(ev, user = auth.user) {
  if (!ev || !user) return []
  const admin = user.role === 'admin'
  const mine = ev.assignee_org_id && ev.assignee_org_id === user.scope_org_id
  const myGrid = user.role === 'grid_officer' && ev.grid_id === user.scope_org_id
  const reporter = ev.reporter_id === user.id
  const out = []
  for (const [a, r] of Object.entries(RULES)) {
    if (!r.from.includes(ev.status)) continue
    if (ev.suspended && !(r.whileSuspended || r.onlySuspended)) continue
    if (r.onlySuspended && !ev.suspended) continue
    if (a === 'rate') { if (reporter && !ev.rated && !ev.rating) out.push(a); continue }
    if (admin) { out.push(a); continue }
    if (!r.roles.includes(user.role)) continue
    if (r.assignee && !mine) continue
    if (r.assigneeOr && !(mine || r.assigneeOr.includes(user.role))) continue
    if (r.gridOfficer && !myGrid) continue
    if (r.verifier) {
      const ok = ['command', 'staff'].includes(user.role) || myGrid || reporter
      if (!ok) continue
    }
    if (r.whistled && !(ev.whistles || []).some((w) => w.dept_org_id === user.scope_org_id && !w.reported_at)) continue
    out.push(a)
  }
  return out
}

export const colorHex = { green: '#2ea44f', yellow: '#e6a23c', red: '#e5484d', none: '#909399' }
export const statusTag = {
  reported: 'info', registered: 'primary', dispatched: 'warning', in_progress: 'warning',
  handled: 'primary', closed: 'success', rejected: 'info', merged: 'info',
}
