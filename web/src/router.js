import { createRouter, createWebHistory } from 'vue-router'
import { loggedIn, auth, homeFor } from './lib/auth.js'

const Layout = () => import('./components/AppLayout.vue')
const MobileLayout = () => import('./views/mobile/MobileLayout.vue')

const routes = [
  { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true } },
  {
    path: '/', component: Layout, children: [
      { path: '', redirect: () => homeFor(auth.user, window.innerWidth < 768) },
      { path: 'dashboard', component: () => import('./views/Dashboard.vue'), meta: { roles: ['admin', 'command', 'leader', 'staff'], wall: true } },
      { path: 'events', component: () => import('./views/Ledger.vue') },
      { path: 'events/:id', component: () => import('./views/Ledger.vue') },
      { path: 'report', component: () => import('./views/Report.vue') },
      { path: 'people', component: () => import('./views/people/People.vue'), meta: { roles: ['admin', 'command', 'leader', 'staff', 'grid_officer'] } },
      { path: 'services', component: () => import('./views/participation/Services.vue'), meta: { roles: ['admin', 'command', 'leader', 'staff', 'grid_officer', 'member', 'resident'] } },
      { path: 'points', component: () => import('./views/participation/Points.vue'), meta: { roles: ['admin', 'command', 'leader', 'staff', 'grid_officer', 'member', 'resident'] } },
      { path: 'visits', component: () => import('./views/participation/Visits.vue'), meta: { roles: ['admin', 'command', 'leader', 'staff', 'grid_officer'] } },
      { path: 'topics', component: () => import('./views/participation/Topics.vue'), meta: { roles: ['admin', 'command', 'leader', 'staff', 'grid_officer', 'member', 'resident'] } },
      { path: 'party', component: () => import('./views/party/Party.vue'), meta: { roles: ['admin', 'command', 'leader', 'staff'] } },
      { path: 'party/cadres', component: () => import('./views/party/Cadres.vue'), meta: { roles: ['admin', 'command', 'leader', 'staff'] } },
      { path: 'admin/orgs', component: () => import('./views/admin/Orgs.vue'), meta: { roles: ['admin'] } },
      { path: 'admin/catalog', component: () => import('./views/admin/Catalog.vue'), meta: { roles: ['admin'] } },
      { path: 'admin/users', component: () => import('./views/admin/Users.vue'), meta: { roles: ['admin'] } },
    ],
  },
  {
    path: '/m', component: MobileLayout, children: [
      { path: '', redirect: () => (auth.user && auth.user.role === 'grid_officer' ? '/m/tasks' : '/m/report') },
      { path: 'tasks', component: () => import('./views/mobile/Tasks.vue') },
      { path: 'report', component: () => import('./views/Report.vue'), props: { mobile: true } },
      { path: 'mine', component: () => import('./views/mobile/MyReports.vue') },
      { path: 'events/:id', component: () => import('./views/mobile/EventView.vue') },
      { path: 'services', component: () => import('./views/participation/Services.vue'), props: { mobile: true }, meta: { roles: ['grid_officer', 'member', 'resident', 'staff', 'admin'] } },
      { path: 'points', component: () => import('./views/participation/Points.vue'), props: { mobile: true }, meta: { roles: ['grid_officer', 'member', 'resident', 'staff', 'admin'] } },
      { path: 'visits', component: () => import('./views/participation/Visits.vue'), props: { mobile: true }, meta: { roles: ['grid_officer', 'staff', 'admin'] } },
      { path: 'topics', component: () => import('./views/participation/Topics.vue'), props: { mobile: true }, meta: { roles: ['grid_officer', 'member', 'resident', 'staff', 'admin'] } },
      { path: 'party', component: () => import('./views/mobile/ReportIn.vue'), meta: { roles: ['member'] } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to) => {
  if (to.meta.public) return true
  if (!loggedIn()) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  const roles = to.matched.flatMap((r) => r.meta.roles || [])
  if (roles.length && !roles.includes(auth.user.role)) return homeFor(auth.user, window.innerWidth < 768)
  return true
})
