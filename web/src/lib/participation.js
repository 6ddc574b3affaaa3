// Shared bits of the issue 6 pages (people, service orders, points, visits): role checks that
// mirror docs/api.md (the server still decides), the org choices of the caller's scope, and
// 422 field errors shown on the form field they name.
import { reactive } from 'vue'
import { auth } from './auth.js'
import { getAll } from './api.js'
import { errText } from './i18n.js'

export const TAGS = ['elderly_alone', 'disabled', 'low_income', 'serious_illness', 'unemployed', 'corrections', 'left_behind_child', 'veteran', 'key_person']
export const HH_COLORS = ['green', 'yellow', 'red']
export const HOUSE_USES = ['residential', 'commercial', 'vacant']
export const OCCUPANCIES = ['owner', 'tenant', 'none']
export const SVC_STATUSES = ['asked', 'published', 'claimed', 'completed', 'rated', 'reviewed', 'cancelled', 'expired']
export const SVC_CATEGORIES = [{ code: '1201', name: '微心愿' }, { code: '1202', name: '红色代办' }, { code: '1203', name: '跑腿' }, { code: '1204', name: '帮扶' }]
export const svcTag = { asked: 'warning', published: 'primary', claimed: '', completed: 'warning', rated: 'success', reviewed: 'success', cancelled: 'info', expired: 'info' }
export const hhHex = { green: '#2fa84f', yellow: '#e6a23c', red: '#e5484d' }

const role = () => (auth.user ? auth.user.role : '')
export const can = {
  readPeople: () => ['admin', 'command', 'leader', 'staff', 'grid_officer'].includes(role()),
  writePeople: () => ['admin', 'staff', 'grid_officer'].includes(role()),
  pii: () => ['admin', 'staff', 'grid_officer'].includes(role()),
  askService: () => ['resident', 'member'].includes(role()),
  publish: () => ['admin', 'staff'].includes(role()),
  claim: () => role() === 'member',
  review: () => ['admin', 'staff'].includes(role()),
  manageStore: () => ['admin', 'staff'].includes(role()),
  redeem: () => ['resident', 'member'].includes(role()),
  visit: () => ['admin', 'staff', 'grid_officer'].includes(role()),
  readVisits: () => ['admin', 'command', 'leader', 'staff', 'grid_officer'].includes(role()),
}

// communities and grids within the caller's scope, for the org selects (cached per session)
let orgCache = null
export async function scopeOrgs() {
  if (orgCache && orgCache.user === auth.user?.id) return orgCache.items
  const lists = await Promise.all(['community', 'grid'].map((k) => getAll('/orgs', { kind: k }, 3000).then((r) => r.items).catch(() => [])))
  orgCache = { user: auth.user?.id, items: lists.flat() }
  return orgCache.items
}

// a form's errors: the API's 422 (and 409 with a field) land on the field; the rest in .general
export function useFormErrors() {
  const errs = reactive({ general: '' })
  return {
    errs,
    clear() { for (const k of Object.keys(errs)) errs[k] = '' },
    take(e) {
      for (const k of Object.keys(errs)) errs[k] = ''
      if (e && e.field && (e.status === 422 || e.status === 409 || e.status === 403)) errs[e.field] = errText(e)
      else errs.general = errText(e)
    },
  }
}

// 议事协商 (docs/api.md "Deliberation and disclosure"): the states, their tag colours, and the
// actions of the table in src/core/topic.c that the caller may take on a topic now. The topic
// carries no action list, so this mirrors the table from the topic's own fields (status,
// proposer_id, mine); the server still decides and answers 409 / 403 otherwise.
export const TOPIC_STATUSES = ['proposed', 'seconded', 'agenda', 'voting', 'passed', 'failed', 'published', 'executing', 'done', 'rejected', 'withdrawn']
export const topicTag = { proposed: 'warning', seconded: 'primary', agenda: 'primary', voting: 'danger', passed: 'success', failed: 'info', published: 'success', executing: 'primary', done: 'success', rejected: 'info', withdrawn: 'info' }
export const DISCLOSURE_KINDS = ['property_fee', 'project_fund', 'finance', 'affairs', 'other']
export function topicActions(tp) {
  const r = role()
  const me = auth.user ? auth.user.id : 0
  const mine = tp.mine || {}
  const s = tp.status
  const resident = ['resident', 'member'].includes(r)
  const boss = ['admin', 'staff', 'leader'].includes(r)
  const staff = ['admin', 'staff'].includes(r)
  const out = []
  if (resident && (s === 'proposed' || s === 'seconded') && tp.proposer_id !== me && !mine.supported) out.push('support')
  if (boss && s === 'seconded') out.push('accept')
  if (boss && ['proposed', 'seconded', 'agenda'].includes(s)) out.push('reject')
  if ((tp.proposer_id === me || r === 'admin') && (s === 'proposed' || s === 'seconded')) out.push('withdraw')
  if (staff && s === 'agenda') out.push('meet')
  if (mine.attendee && s === 'voting' && !mine.vote) out.push('vote')
  if (staff && s === 'voting') out.push('close_vote')
  if (staff && s === 'passed') out.push('publish')
  if (staff && (s === 'published' || s === 'executing')) out.push('progress')
  if (staff && s === 'executing') out.push('complete')
  if (resident && s === 'done' && !mine.rating) out.push('evaluate')
  return out
}
// actions that need a form (the rest are sent at once, destructive ones after a confirmation)
export const TOPIC_FORM_ACTIONS = ['reject', 'meet', 'vote', 'progress', 'evaluate']
export const TOPIC_CONFIRM_ACTIONS = ['withdraw', 'close_vote', 'complete']

// 党建 · 重点任务 (docs/participation.md): who reads and who writes
export const taskHex = { blue: '#2f6fde', yellow: '#e6a23c', red: '#e5484d' }
export const taskTag = { blue: 'primary', yellow: 'warning', red: 'danger' }
Object.assign(can, {
  readTopics: () => role() !== 'handler' && !!role(),
  propose: () => ['admin', 'staff', 'grid_officer', 'member', 'resident'].includes(role()),
  disclose: () => ['admin', 'staff'].includes(role()),
  readParty: () => ['admin', 'command', 'leader', 'staff'].includes(role()),
  writeParty: () => ['admin', 'staff'].includes(role()),
})

// 党建 forms: the kinds of docs/api.md, and the chain rule of core/party.h (party_child_ok) and
// which meetings an org holds (party_meeting_org_ok) as hints for the selects; the server
// still decides (422 on the field it names).
export const PARTY_KINDS = ['working_committee', 'committee', 'general_branch', 'branch', 'group', 'party_household']
export const MEMBER_KINDS = ['member', 'cadre', 'in_service']
export const COVER_LEVELS = ['district', 'street', 'community']
export const MEETING_KINDS = ['branch_assembly', 'committee_meeting', 'group_meeting', 'party_lecture']
export const ATTENDANCE = ['present', 'absent', 'excused']
export const TASK_KINDS = ['key_task', 'livelihood']
export function partyChildKinds(parentKind) {
  if (!parentKind) return ['working_committee', 'committee']
  const p = PARTY_KINDS.indexOf(parentKind)
  if (parentKind === 'party_household') return []
  return PARTY_KINDS.filter((k, i) => {
    if (k === 'party_household') return parentKind === 'branch' || parentKind === 'group'
    return k !== 'working_committee' && k !== 'committee' && i > p
  })
}
export function meetingKindsFor(orgKind) {
  if (!orgKind || orgKind === 'party_household') return []
  if (orgKind === 'group') return ['group_meeting']
  if (orgKind === 'branch') return MEETING_KINDS
  return MEETING_KINDS.filter((k) => k !== 'group_meeting')
}
// the task's own responsible leader (领题) may mark milestones done and file monthly progress
Object.assign(can, {
  leadTask: (task) => !!auth.user && !!task && task.leader_user_id === auth.user.id,
  workTask: (task) => can.writeParty() || can.leadTask(task),
  reportIn: () => role() === 'member',
})
