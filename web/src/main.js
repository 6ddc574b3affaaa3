import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { i18n } from './lib/i18n.js'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/notification/style/css'
import 'element-plus/theme-chalk/el-var.css'
import './styles.css'

window.__gg_t0 = performance.now()
createApp(App).use(router).use(i18n).mount('#app')
