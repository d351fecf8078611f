// The pages and the login guard: every page but 登录 needs a live session;
// a page a role may not use sends it to 首页.
import { createRouter, createWebHistory } from 'vue-router'
import { api, session, onSessionExpired } from './api.js'
import { may } from './roles.js'

export const pages = [
  { path: '/', name: 'home', title: '首页', icon: 'HomeFilled', component: () => import('./pages/Dashboard.vue') },
  { path: '/ledgers/:id?', name: 'ledgers', title: '台账', icon: 'Grid', component: () => import('./pages/Ledgers.vue') },
  { path: '/import', name: 'import', title: '导入', icon: 'Upload', need: 'write', component: () => import('./pages/Import.vue') },
  { path: '/reports', name: 'reports', title: '报告', icon: 'Document', component: () => import('./pages/Reports.vue') },
  { path: '/submissions', name: 'submissions', title: '上报审核', icon: 'Stamp', component: () => import('./pages/Submissions.vue') },
  { path: '/audit', name: 'audit', title: '留痕', icon: 'Tickets', component: () => import('./pages/Audit.vue') },
  { path: '/users', name: 'users', title: '用户', icon: 'User', need: 'users', component: () => import('./pages/Users.vue') },
]

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./pages/Login.vue'), meta: { public: true, title: '登录' } },
    ...pages.map((p) => ({ path: p.path, name: p.name, component: p.component, meta: { title: p.title, need: p.need } })),
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

let checked = false
router.beforeEach(async (to) => {
  if (!checked) {
    checked = true
    try {
      await api.me()
    } catch (e) {
      /* the login page says what is wrong */
    }
  }
  if (to.meta.public) return session.me && to.name === 'login' ? { path: '/' } : true
  if (!session.me) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.meta.need && !may(to.meta.need)) return { path: '/' }
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title || ''} · 台账`
})

onSessionExpired(() => {
  const next = router.currentRoute.value.fullPath
  router.push({ name: 'login', query: { next, expired: '1' } })
})

export default router
