// The 台账 web app: Vue 3 + Element Plus (zh-CN) + the router of router.js.
import './compat.js'
import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import router from './router.js'

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app')
