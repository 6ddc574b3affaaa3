// Interface strings: zh-CN (default) and English. Domain data (category and org names) stays Chinese.
import { createI18n } from 'vue-i18n'

const zh = {
  app: { title: '网格化基层治理平台', short: '基层治理', subtitle: '党建引领 · 一网统管' },
  nav: { dashboard: '指挥中心', events: '事件台账', report: '随手拍', admin: '系统管理', orgs: '组织与网格', catalog: '事项清单', users: '用户与角色', tasks: '我的任务', mine: '我的上报', logout: '退出登录', lang: 'English', mobile: '手机版', desktop: '电脑版' },
  login: {
    title: '账号登录', username: '用户名', password: '密码', submit: '登录', working: '正在登录…',
    need: '请输入用户名和密码', bad: '用户名或密码错误，请重新输入', locked: '登录失败次数过多，账号已临时锁定，请 15 分钟后再试',
    network: '无法连接服务器，请检查网络后重试', expired: '登录已过期，请重新登录', hint: '演示账号见 gridgov demo 启动时的输出',
  },
  common: {
    loading: '加载中…', empty: '暂无数据', error: '加载失败', retry: '重试', search: '查询', reset: '重置', cancel: '取消', confirm: '确定',
    save: '保存', submit: '提交', close: '关闭', more: '加载更多', all: '全部', total: '共 {n} 条', detail: '详情', refresh: '刷新', yes: '是', no: '否',
    saved: '已保存', done: '操作成功', confirmTitle: '请确认', export: '导出', edit: '编辑', add: '新增', back: '返回', unknown: '未知',
    notReady: '统计接口尚未开放，上线后自动显示', updated: '更新于 {t}', fullscreen: '全屏',
  },
  errors: {
    network: '无法连接服务器，请检查网络后重试（已填写的内容不会丢失）', 400: '请求格式有误', 401: '请先登录', 403: '您没有权限进行此操作', 404: '对象不存在或您无权查看',
    409: '该事件状态已变化，当前不能执行此操作，请刷新后重试', 413: '文件过大（不超过 10 MB）', 415: '文件格式不支持，请上传 JPG 或 PNG 图片', 422: '填写内容有误', 429: '操作过于频繁，请稍后再试', 500: '服务器出错，请稍后再试',
  },
  status: { reported: '待受理', registered: '已立案', dispatched: '已派遣', in_progress: '处置中', handled: '待核查', closed: '已结案', rejected: '不予立案', merged: '已合并', suspended: '挂账' },
  source: { app: '居民随手拍', patrol: '网格员巡查', sensor: '物联感知', hotline: '12345热线', visit: '走访发现', walkin: '窗口受理' },
  color: { green: '正常', yellow: '临期', red: '超期', none: '—' },
  level: { grid: '网格', community: '社区', street: '街道', district: '区县', city: '市' },
  role: { admin: '系统管理员', command: '指挥中心坐席', leader: '领导/包保干部', staff: '街道/社区工作人员', grid_officer: '网格员', handler: '职能部门处置人员', member: '党员/志愿者', resident: '居民' },
  kind: { city: '市', district: '区/县', street: '街道/乡镇', community: '社区/村', grid: '网格', building: '楼栋', unit: '单元', department: '职能部门' },
  list: { duty: '履职事项', assist: '协助事项', excluded: '负面清单' },
  clock: { continuous: '紧急工作时', work_hours: '工作时', work_days: '工作日' },
  rating: { satisfied: '满意', basic: '基本满意', unsatisfied: '不满意' },
  action: {
    report: '上报', register: '受理立案', reject: '不予立案', dispatch: '派遣', sign: '签收', return: '回退', handle: '处置反馈', verify_ok: '核查通过', verify_fail: '核查不通过',
    escalate: '上报上级', self_handle: '自行处置', supervise: '督办', whistle: '吹哨', report_in: '报到', suspend: '挂账', resume: '恢复', extend: '延期', merge: '合并', rate: '评价', auto_escalate: '超期自动上报',
  },
  field: { note: '意见/说明', org_id: '派遣单位', departments: '吹哨部门', extend_hours: '延期小时数', merge_into: '合并到事件编号', rating: '满意度', photos: '处置照片' },
  time: { days: '{n} 天', hours: '{n} 小时', minutes: '{n} 分钟', left: '剩余 {s}', over: '超期 {s}' },
  ev: {
    id: '编号', category: '事项类别', description: '问题描述', address: '地址', grid: '所属网格', assignee: '处置单位', source: '来源', status: '状态', color: '预警',
    reported_at: '上报时间', handle_due_at: '处置时限', accept_due_at: '受理时限', level: '层级', reporter: '上报人', photos: '现场照片', timeline: '办理过程', actions: '可执行操作',
    noActions: '当前没有您可执行的操作', rework: '返工 {n} 次', escalations: '上报 {n} 次', supervised: '督办 {n} 次', duplicates: '疑似重复事件', closingLevel: '结案层级', rating: '评价', whistles: '吹哨部门',
  },
  ledger: {
    title: '事件台账', q: '描述/地址关键字', period: '上报时间', org: '组织范围', start: '开始日期', end: '结束日期', exportCsv: '导出 CSV', exportXlsx: '导出 Excel',
    exporting: '正在导出…', exportLocal: '服务器导出接口暂未开放，已在浏览器中导出 CSV（最多 5000 条）', perPage: '每页', page: '第 {n} 页', prev: '上一页', next: '下一页',
  },
  report: {
    title: '随手拍', category: '问题类型', categoryPh: '搜索或选择问题类型，如：垃圾、井盖', description: '问题描述', descriptionPh: '请描述发现的问题，如位置、影响范围等',
    location: '问题位置', locHint: '在地图上点击问题位置，或使用当前定位', locate: '使用当前定位', locating: '正在定位…', address: '详细地址', addressPh: '如：幸福小区 3 栋 2 单元门口',
    grid: '所属网格', gridNone: '该位置不在任何网格内，将由指挥中心受理', photos: '现场照片', photoTip: '拍照或从相册选择，JPG/PNG，最多 6 张', source: '来源渠道',
    submit: '提交上报', sending: '正在提交…', ok: '上报成功，事件编号 {id}', excluded: '该事项属于负面清单，不予受理', geoFail: '无法获取定位，请在地图上点选位置', selfHandle: '当场已处置（小事不出网格）',
    selfNote: '处置情况', draft: '已恢复上次未提交的内容', needCat: '请选择问题类型', needDesc: '请填写问题描述', needLoc: '请在地图上选择问题位置', uploading: '正在上传照片…',
  },
  dash: {
    title: '基层治理指挥中心', today: '今日上报', open: '在办事件', overdue: '超期事件', closed: '今日结案', satisfaction: '满意率', ontime: '按期处置率',
    map: '网格态势', mapLegend: '颜色：红=有超期，黄=在办多，绿=正常', feed: '实时动态', trend: '近 30 天趋势', category: '事项类别分布', ranking: '下级单位排名', overdueList: '超期事件',
    live: '实时', polling: '轮询', reported: '上报', closedS: '结案', overdueS: '超期', score: '得分', stars: '星级', openN: '在办 {n}', overdueN: '超期 {n}', firstRender: '首屏',
    byOpen: '在办事件类别（统计接口开放前按在办事件计算）',
  },
  mobile: { tasks: '我的任务', toSign: '待签收', doing: '处置中', toVerify: '待核查', report: '随手拍', mine: '我的上报', progress: '办理进度', rate: '评价', rated: '已评价', me: '我的' },
  admin: {
    orgs: '组织与网格', import: '导入 GeoJSON', importTip: 'GeoJSON FeatureCollection，properties 含 code、name、kind、parent_code、households；全部成功或全部不导入',
    importOk: '导入完成：新增 {c}，更新 {u}', importErr: '导入失败，未做任何更改', addChild: '新增下级', parent: '上级', code: '编码', name: '名称', kind: '类型', households: '户数', deptKind: '部门类别',
    catalog: '事项清单', catCode: '编码', catName: '名称', catKind: '类型', catList: '清单', handlerLevel: '处置层级', accept: '受理时限(小时)', handle: '处置时限(小时)', clock: '计时方式', guidance: '不予受理指引', parentCode: '大类', review: '复审日期', reviewDue: '待复审',
    users: '用户与角色', username: '用户名', password: '初始密码', role: '角色', scope: '管辖范围', displayName: '姓名', disabled: '已停用', created: '创建时间', newUser: '新建用户', boundary: '边界', noBoundary: '无边界',
    confirmSave: '确定保存对“{name}”的修改吗？',
  },
}

const en = {
  app: { title: 'Grid Governance Platform', short: 'gridgov', subtitle: 'Party-led grassroots governance' },
  nav: { dashboard: 'Command centre', events: 'Event ledger', report: 'Report', admin: 'Administration', orgs: 'Orgs & grids', catalog: 'Matter catalog', users: 'Users & roles', tasks: 'My tasks', mine: 'My reports', logout: 'Log out', lang: '中文', mobile: 'Mobile', desktop: 'Desktop' },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', working: 'Signing in…', need: 'Enter your username and password',
    bad: 'Wrong username or password', locked: 'Too many failed attempts: the account is locked, try again in 15 minutes', network: 'Cannot reach the server; check the network and retry',
    expired: 'Your session expired; please sign in again', hint: 'Demo accounts are printed by gridgov demo',
  },
  common: {
    loading: 'Loading…', empty: 'No data', error: 'Failed to load', retry: 'Retry', search: 'Search', reset: 'Reset', cancel: 'Cancel', confirm: 'OK', save: 'Save', submit: 'Submit', close: 'Close',
    more: 'Load more', all: 'All', total: '{n} items', detail: 'Details', refresh: 'Refresh', yes: 'Yes', no: 'No', saved: 'Saved', done: 'Done', confirmTitle: 'Please confirm', export: 'Export',
    edit: 'Edit', add: 'Add', back: 'Back', unknown: 'Unknown', notReady: 'Statistics endpoint not available yet; shown once it is', updated: 'Updated {t}', fullscreen: 'Full screen',
  },
  errors: {
    network: 'Cannot reach the server; nothing you typed is lost', 400: 'Malformed request', 401: 'Please sign in', 403: 'You are not allowed to do this', 404: 'Not found or not visible to you',
    409: 'The event has changed; this action is not allowed now. Refresh and retry', 413: 'File too large (10 MB max)', 415: 'Unsupported file: use JPG or PNG', 422: 'Invalid input', 429: 'Too many requests; try later', 500: 'Server error; try later',
  },
  status: { reported: 'Reported', registered: 'Registered', dispatched: 'Dispatched', in_progress: 'In progress', handled: 'Handled', closed: 'Closed', rejected: 'Rejected', merged: 'Merged', suspended: 'Suspended' },
  source: { app: 'Resident app', patrol: 'Grid patrol', sensor: 'Sensor', hotline: '12345 hotline', visit: 'Home visit', walkin: 'Walk-in' },
  color: { green: 'On time', yellow: 'Due soon', red: 'Overdue', none: '—' },
  level: { grid: 'Grid', community: 'Community', street: 'Street', district: 'District', city: 'City' },
  role: { admin: 'Administrator', command: 'Command centre', leader: 'Leader', staff: 'Street/community staff', grid_officer: 'Grid officer', handler: 'Department handler', member: 'Party member/volunteer', resident: 'Resident' },
  kind: { city: 'City', district: 'District', street: 'Street', community: 'Community', grid: 'Grid', building: 'Building', unit: 'Unit', department: 'Department' },
  list: { duty: 'Duty', assist: 'Assist', excluded: 'Excluded' },
  clock: { continuous: 'Continuous', work_hours: 'Working hours', work_days: 'Working days' },
  rating: { satisfied: 'Satisfied', basic: 'Basically satisfied', unsatisfied: 'Unsatisfied' },
  action: {
    report: 'Report', register: 'Register', reject: 'Reject', dispatch: 'Dispatch', sign: 'Sign for', return: 'Return', handle: 'Report handled', verify_ok: 'Verify: pass', verify_fail: 'Verify: fail',
    escalate: 'Escalate', self_handle: 'Handle on the spot', supervise: 'Supervise', whistle: 'Whistle', report_in: 'Report in', suspend: 'Suspend', resume: 'Resume', extend: 'Extend', merge: 'Merge', rate: 'Rate', auto_escalate: 'Auto-escalated (overdue)',
  },
  field: { note: 'Note', org_id: 'Dispatch to', departments: 'Departments', extend_hours: 'Extra hours', merge_into: 'Merge into event #', rating: 'Satisfaction', photos: 'Photos' },
  time: { days: '{n} d', hours: '{n} h', minutes: '{n} min', left: '{s} left', over: '{s} overdue' },
  ev: {
    id: 'No.', category: 'Category', description: 'Description', address: 'Address', grid: 'Grid', assignee: 'Assignee', source: 'Source', status: 'Status', color: 'Warning',
    reported_at: 'Reported', handle_due_at: 'Handle by', accept_due_at: 'Accept by', level: 'Level', reporter: 'Reporter', photos: 'Photos', timeline: 'Timeline', actions: 'Actions',
    noActions: 'No action is yours to take now', rework: 'Reworked {n}×', escalations: 'Escalated {n}×', supervised: 'Supervised {n}×', duplicates: 'Possible duplicates', closingLevel: 'Closed at', rating: 'Rating', whistles: 'Whistled departments',
  },
  ledger: {
    title: 'Event ledger', q: 'Text in description/address', period: 'Reported', org: 'Org', start: 'Start', end: 'End', exportCsv: 'Export CSV', exportXlsx: 'Export Excel',
    exporting: 'Exporting…', exportLocal: 'Server export not available yet; exported CSV in the browser (5000 rows max)', perPage: 'Per page', page: 'Page {n}', prev: 'Previous', next: 'Next',
  },
  report: {
    title: 'Report a problem', category: 'Type', categoryPh: 'Search or pick a type', description: 'Description', descriptionPh: 'Describe the problem', location: 'Location',
    locHint: 'Click the map where the problem is, or use your location', locate: 'Use my location', locating: 'Locating…', address: 'Address', addressPh: 'e.g. Building 3, Unit 2', grid: 'Grid',
    gridNone: 'Outside every grid: the command centre will take it', photos: 'Photos', photoTip: 'Camera or album, JPG/PNG, up to 6', source: 'Channel', submit: 'Send report', sending: 'Sending…',
    ok: 'Reported: event #{id}', excluded: 'This matter is on the excluded list', geoFail: 'Location unavailable; click the map instead', selfHandle: 'Handled on the spot', selfNote: 'What was done',
    draft: 'Your unsent report was restored', needCat: 'Pick a type', needDesc: 'Describe the problem', needLoc: 'Pick the location on the map', uploading: 'Uploading photos…',
  },
  dash: {
    title: 'Governance Command Centre', today: 'Reported today', open: 'Open', overdue: 'Overdue', closed: 'Closed today', satisfaction: 'Satisfaction', ontime: 'On-time handling',
    map: 'Grid situation', mapLegend: 'red = overdue, yellow = busy, green = normal', feed: 'Live feed', trend: 'Last 30 days', category: 'By category', ranking: 'Unit ranking', overdueList: 'Overdue events',
    live: 'live', polling: 'polling', reported: 'Reported', closedS: 'Closed', overdueS: 'Overdue', score: 'Score', stars: 'Stars', openN: '{n} open', overdueN: '{n} overdue', firstRender: 'first render',
    byOpen: 'Open events by category (until the statistics endpoint is available)',
  },
  mobile: { tasks: 'My tasks', toSign: 'To sign', doing: 'In progress', toVerify: 'To verify', report: 'Report', mine: 'My reports', progress: 'Progress', rate: 'Rate', rated: 'Rated', me: 'Me' },
  admin: {
    orgs: 'Orgs & grids', import: 'Import GeoJSON', importTip: 'GeoJSON FeatureCollection with properties code, name, kind, parent_code, households; all or nothing',
    importOk: 'Imported: {c} created, {u} updated', importErr: 'Import failed; nothing was changed', addChild: 'Add child', parent: 'Parent', code: 'Code', name: 'Name', kind: 'Kind', households: 'Households', deptKind: 'Department kind',
    catalog: 'Matter catalog', catCode: 'Code', catName: 'Name', catKind: 'Kind', catList: 'List', handlerLevel: 'Handler level', accept: 'Accept (h)', handle: 'Handle (h)', clock: 'Clock', guidance: 'Guidance when refused', parentCode: 'Parent', review: 'Review on', reviewDue: 'Review due',
    users: 'Users & roles', username: 'Username', password: 'Initial password', role: 'Role', scope: 'Scope', displayName: 'Name', disabled: 'Disabled', created: 'Created', newUser: 'New user', boundary: 'Boundary', noBoundary: 'No boundary',
    confirmSave: 'Save the changes to "{name}"?',
  },
}

// issue 6: people, service orders, points and the store, visits
Object.assign(zh.nav, { people: '人口·住户·房屋', services: '服务订单', points: '积分超市', visits: '走访' })
Object.assign(en.nav, { people: 'People & homes', services: 'Service orders', points: 'Points store', visits: 'Visits' })
Object.assign(zh.common, { delete: '删除' })
Object.assign(en.common, { delete: 'Delete' })
Object.assign(zh.mobile, { services: '服务', points: '积分', visits: '走访' })
Object.assign(en.mobile, { services: 'Services', points: 'Points', visits: 'Visits' })
Object.assign(zh, {
  tag: { elderly_alone: '独居/孤寡老人', disabled: '残疾', low_income: '低保/困难', serious_illness: '重大疾病', unemployed: '下岗失业', corrections: '刑释解教/社区矫正', left_behind_child: '留守儿童', veteran: '退役军人', key_person: '重点人员' },
  hhColor: { green: '放心户', yellow: '关注户', red: '重点户' },
  houseUse: { residential: '住宅', commercial: '商用', vacant: '空置' },
  occupancy: { owner: '自住', tenant: '租住', none: '无人居住' },
  gender: { male: '男', female: '女', unknown: '未知' },
  people: {
    people: '人口', households: '住户', houses: '房屋', import: '批量导入', org: '所属组织', tag: '标签', color: '三色', q: '姓名关键字', idLookup: '身份证号精确查找',
    name: '姓名', gender: '性别', birth: '出生日期', idNumber: '身份证号', phone: '电话', household: '所属户', relation: '与户主关系', party: '党员', branch: '党支部', volunteer: '志愿者',
    reveal: '查看完整信息', revealed: '完整信息（已记入审计日志）', hide: '隐藏', newPerson: '登记人员', editPerson: '编辑人员', code: '户编号', address: '地址', building: '楼栋', unit: '单元', room: '房号',
    members: '人数', newHousehold: '登记住户', editHousehold: '编辑住户', use: '用途', occupancy: '居住情况', area: '面积(㎡)', newHouse: '登记房屋', editHouse: '编辑房屋', house: '房屋编号',
    importTip: 'CSV（UTF-8）或 Excel（.xlsx）文件，第一行为列名（姓名、身份证号、组织编码…，见使用指南）；任何一行有错则全部不导入', importPick: '选择文件', importOk: '导入完成：{r} 行，新增人员 {p}，新增住户 {h}',
    importErr: '导入失败，未写入任何数据，共 {n} 处错误：', row: '行号', column: '列', reason: '原因', deleted: '已删除', confirmDelete: '确定删除“{name}”吗？', masked: '号码已脱敏',
  },
  svc: {
    title: '服务订单', ask: '我要点单', askTitle: '点单', category: '服务类别', titleF: '标题', titlePh: '如：帮忙代买降压药', desc: '说明', descPh: '时间、地点、具体需要', address: '地址',
    mine: '我的订单', asked: '我点的', claimed: '我接的', open: '待接单', all: '全部', status: '状态', reward: '奖励积分', deadline: '截止时间', community: '社区', askedAt: '点单时间',
    publish: '下单', claim: '接单', complete: '完成', rate: '评单', review: '评价', cancel: '取消订单', note: '完成情况', comment: '留言', stars: '评分', reason: '取消原因', photos: '完成照片',
    okAsk: '点单成功，订单编号 {id}', claimedBy: '接单人 #{id}', ratedAs: '评单：{n} 星', reviewedAs: '街道评价：{n} 星', pointsAfter: '评单后接单人获得 {n} 积分', noOrders: '暂无订单',
    409: '订单状态已变化（可能已被他人接单或已过期），请刷新',
  },
  svcStatus: { asked: '待下单', published: '待接单', claimed: '已接单', completed: '待评单', rated: '待评价', reviewed: '已评价', cancelled: '已取消', expired: '已过期' },
  pts: {
    title: '积分', balance: '积分余额', earned: '累计获得', statement: '积分明细', leaderboard: '积分榜', store: '积分超市', rank: '名次', user: '姓名', amount: '积分', reason: '原因', at: '时间',
    redeem: '兑换', price: '所需积分', stock: '库存', qty: '数量', okRedeem: '兑换成功，剩余积分 {n}', short: '库存不足或积分不够', items: '商品管理', newItem: '上架商品', editItem: '编辑商品',
    itemName: '商品名称', itemDesc: '说明', active: '上架', inactive: '已下架', redemptions: '兑换记录', community: '社区', confirmRedeem: '用 {p} 积分兑换“{name}”？', soldOut: '已兑完',
    source: { service_order: '服务订单', event_clue: '啄木鸟线索', volunteer: '志愿服务', meeting: '会议参与', redemption: '积分兑换' },
  },
  visit: {
    title: '走访', due: '待走访', overdue: '已超期', dueSoon: '快到期', records: '走访记录', record: '登记走访', subject: '走访对象', person: '人员', findings: '走访情况', findingsPh: '对象的生活、健康、诉求等',
    at: '走访时间', last: '上次走访', interval: '周期', days: '{n} 天', dueAt: '应访时间', tags: '对象标签', raise: '发现问题', raiseNone: '不转办', raiseEvent: '上报事件', raiseOrder: '代点服务单',
    category: '类别', orderTitle: '服务标题', ok: '走访已登记', okEvent: '，已上报事件 #{id}', okOrder: '，已代点服务单 #{id}', needSubject: '请选择走访对象', needFindings: '请填写走访情况', officer: '走访人',
    rules: '走访周期', location: '事件位置取所在网格中心', none: '暂无待走访对象',
  },
})
Object.assign(en, {
  tag: { elderly_alone: 'Elderly living alone', disabled: 'Disabled', low_income: 'Low income', serious_illness: 'Serious illness', unemployed: 'Unemployed', corrections: 'Community corrections', left_behind_child: 'Left-behind child', veteran: 'Veteran', key_person: 'Key person' },
  hhColor: { green: 'Green (settled)', yellow: 'Yellow (watch)', red: 'Red (close care)' },
  houseUse: { residential: 'Residential', commercial: 'Commercial', vacant: 'Vacant' },
  occupancy: { owner: 'Owner-occupied', tenant: 'Rented', none: 'Empty' },
  gender: { male: 'Male', female: 'Female', unknown: 'Unknown' },
  people: {
    people: 'People', households: 'Households', houses: 'Houses', import: 'Import', org: 'Org', tag: 'Tag', color: 'Colour', q: 'Name contains', idLookup: 'Exact id number',
    name: 'Name', gender: 'Gender', birth: 'Born', idNumber: 'Id number', phone: 'Phone', household: 'Household', relation: 'Relation', party: 'Party member', branch: 'Party branch', volunteer: 'Volunteer',
    reveal: 'Show full details', revealed: 'Full details (written to the audit log)', hide: 'Hide', newPerson: 'Register a person', editPerson: 'Edit person', code: 'Household code', address: 'Address', building: 'Building', unit: 'Unit', room: 'Room',
    members: 'Members', newHousehold: 'Register a household', editHousehold: 'Edit household', use: 'Use', occupancy: 'Occupancy', area: 'Area (m²)', newHouse: 'Register a house', editHouse: 'Edit house', house: 'House no.',
    importTip: 'CSV (UTF-8) or Excel (.xlsx), header row first (see the guide); any bad row and nothing is imported', importPick: 'Choose file', importOk: 'Imported: {r} rows, {p} people, {h} households',
    importErr: 'Nothing was imported; {n} errors:', row: 'Row', column: 'Column', reason: 'Reason', deleted: 'Deleted', confirmDelete: 'Delete "{name}"?', masked: 'Numbers masked',
  },
  svc: {
    title: 'Service orders', ask: 'Ask for help', askTitle: 'New order', category: 'Service', titleF: 'Title', titlePh: 'e.g. buy my blood-pressure pills', desc: 'Details', descPh: 'When, where, what', address: 'Address',
    mine: 'My orders', asked: 'Asked', claimed: 'Claimed', open: 'Open to claim', all: 'All', status: 'Status', reward: 'Reward', deadline: 'Deadline', community: 'Community', askedAt: 'Asked',
    publish: 'Publish', claim: 'Claim', complete: 'Complete', rate: 'Rate', review: 'Review', cancel: 'Cancel', note: 'What was done', comment: 'Comment', stars: 'Stars', reason: 'Reason', photos: 'Photos',
    okAsk: 'Order #{id} sent', claimedBy: 'Claimed by #{id}', ratedAs: 'Rated {n}★', reviewedAs: 'Reviewed {n}★', pointsAfter: 'Rating pays the claimer {n} points', noOrders: 'No orders',
    409: 'The order changed (claimed by someone else or expired); refresh',
  },
  svcStatus: { asked: 'Asked', published: 'Open', claimed: 'Claimed', completed: 'To rate', rated: 'To review', reviewed: 'Reviewed', cancelled: 'Cancelled', expired: 'Expired' },
  pts: {
    title: 'Points', balance: 'Balance', earned: 'Earned', statement: 'Statement', leaderboard: 'Leaderboard', store: 'Points store', rank: 'Rank', user: 'Name', amount: 'Points', reason: 'Reason', at: 'Time',
    redeem: 'Redeem', price: 'Price', stock: 'Stock', qty: 'Qty', okRedeem: 'Redeemed; balance {n}', short: 'Out of stock or not enough points', items: 'Items', newItem: 'New item', editItem: 'Edit item',
    itemName: 'Name', itemDesc: 'Description', active: 'On sale', inactive: 'Withdrawn', redemptions: 'Redemptions', community: 'Community', confirmRedeem: 'Spend {p} points on "{name}"?', soldOut: 'Sold out',
    source: { service_order: 'Service order', event_clue: 'Report clue', volunteer: 'Volunteering', meeting: 'Meeting', redemption: 'Redemption' },
  },
  visit: {
    title: 'Visits', due: 'To visit', overdue: 'Overdue', dueSoon: 'Due soon', records: 'Visit log', record: 'Record a visit', subject: 'Who', person: 'Person', findings: 'Findings', findingsPh: 'Living conditions, health, requests',
    at: 'Visited', last: 'Last visit', interval: 'Every', days: '{n} d', dueAt: 'Due', tags: 'Tags', raise: 'Follow-up', raiseNone: 'None', raiseEvent: 'Report an event', raiseOrder: 'Ask a service order',
    category: 'Category', orderTitle: 'Order title', ok: 'Visit recorded', okEvent: '; event #{id} reported', okOrder: '; service order #{id} asked', needSubject: 'Pick who was visited', needFindings: 'Write the findings', officer: 'Officer',
    rules: 'Intervals', location: 'The event is placed at the grid centre', none: 'Nobody to visit now',
  },
})

// 议事协商 · 公开栏 and 党建 · 重点任务 (issue 6)
Object.assign(zh.nav, { topics: '议事协商', party: '党建·重点任务' })
Object.assign(en.nav, { topics: 'Deliberation', party: 'Party & key tasks' })
Object.assign(zh.mobile, { topics: '议事' })
Object.assign(en.mobile, { topics: 'Topics' })
Object.assign(zh, {
  topic: {
    title: '议事协商 · 公开栏', topics: '议题', board: '公开栏', status: '状态', propose: '提议', disclose: '发布公开', none: '暂无议题', boardNone: '公开栏暂无内容',
    supports: '附议', rating: '评议', resolutions: '公开的决议', disclosures: '公开信息', period: '期间', total: '合计', itemCount: '{n} 项', publishedAt: '公开于',
    tally: '应到 {a} 人：赞成 {f}，反对 {g}，弃权 {b}', proposer: '提议人', youSupported: '您已附议', meeting: '议事会', attendeesN: '参会 {n} 人', yourVote: '您的表决：',
    attendees: '参会人员', attendeesTip: '可直接输入用户编号后回车添加', place: '地点/所属', minutes: '会议纪要', choice: '表决意见', comment: '评议意见', reason: '不予采纳理由', progressNote: '实施进展',
    topicTitle: '议题标题', body: '说明', threshold: '附议门槛（人）', kind: '公开类别', discTitle: '标题', items: '收支明细', itemLabel: '项目', amount: '金额（元）', addItem: '添加一项', publishIt: '发布',
    ok: '已{a}', confirm: '确定{a}吗？', me: '本人', proposed: '提议已提交，等待附议', discOk: '已发布到公开栏',
    needAttendees: '请选择参会人员', needMinutes: '请填写会议纪要', needChoice: '请选择表决意见', needRating: '请选择评分', needNote: '请填写说明', needPlace: '请选择社区或网格', needTitle: '请填写标题', needItems: '每一项都要填写项目和金额（最多两位小数）',
  },
  topicStatus: { proposed: '征集附议', seconded: '附议达标', agenda: '已列入议程', voting: '表决中', passed: '表决通过', failed: '表决未通过', published: '决议已公开', executing: '实施中', done: '已实施', rejected: '不予采纳', withdrawn: '已撤回' },
  topicAction: { support: '附议', accept: '列入议程', reject: '不予采纳', withdraw: '撤回', meet: '登记议事会', vote: '表决', close_vote: '结束表决', publish: '决议公开', progress: '登记实施进展', complete: '实施完成', evaluate: '评议' },
  vote: { for: '赞成', against: '反对', abstain: '弃权' },
  discKind: { property_fee: '物业服务费', project_fund: '项目资金', finance: '居（村）务财务', affairs: '居（村）务事项', other: '其他' },
  party: {
    title: '党建 · 重点任务', tasks: '重点任务', orgs: '党组织', members: '党员', reportIns: '双报到', covers: '三级包保', meetings: '三会一课', compliance: '合规检查',
    noTasks: '暂无重点任务', milestones: '时间节点', milestone: '节点', dueOn: '到期日', doneOn: '完成日', reports: '月度进展', month: '月份', percent: '完成', note: '说明',
    color: '三色', taskTitle: '任务', kind: '类型', owner: '责任单位', leader: '领题领导', progress: '进度', budget: '支出 / 预算', reason: '原因',
    orgName: '党组织', node: '组织节点', memberCount: '党员数', name: '姓名', memberKind: '类别', joinedOn: '入党日期', community: '报到社区', skills: '特长', available: '可服务时间', reportedAt: '报到时间',
    cadre: '包保干部', level: '层级', duty: '职责', heldOn: '日期', meetingKind: '会议类型', meetingTitle: '主题', attendance: '参会情况', att: '出席 {p}，缺席 {a}，请假 {e}',
    check: '检查', compSummary: '检查 {n} 个党支部，{k} 个有缺失', allCompliant: '所选期间各党支部均按要求召开会议', branch: '党支部', missingCount: '缺失数', months: '缺失月份',
  },
  taskColor: { blue: '正常推进', yellow: '滞后预警', red: '严重滞后' },
  taskKind: { key_task: '重点任务', livelihood: '民生实事' },
  partyKind: { working_committee: '党工委', committee: '党委', general_branch: '党总支', branch: '党支部', group: '党小组', party_household: '党员中心户' },
  memberKind: { member: '党员', cadre: '干部', in_service: '在职党员' },
  coverLevel: { district: '区级', street: '街道级', community: '社区级' },
  meetingKind: { branch_assembly: '支部党员大会', committee_meeting: '支委会', group_meeting: '党小组会', party_lecture: '党课' },
})
Object.assign(en, {
  topic: {
    title: 'Deliberation · public board', topics: 'Topics', board: 'Public board', status: 'Status', propose: 'Propose', disclose: 'Publish a disclosure', none: 'No topics yet', boardNone: 'Nothing on the board yet',
    supports: 'Supports', rating: 'Rating', resolutions: 'Published resolutions', disclosures: 'Disclosures', period: 'Period', total: 'Total', itemCount: '{n} items', publishedAt: 'Published',
    tally: '{a} attendees: {f} for, {g} against, {b} abstain', proposer: 'Proposer', youSupported: 'you support it', meeting: 'Meeting', attendeesN: '{n} attendees', yourVote: 'Your vote:',
    attendees: 'Attendees', attendeesTip: 'Type a user id and press Enter to add it', place: 'Place', minutes: 'Minutes', choice: 'Your vote', comment: 'Comment', reason: 'Reason', progressNote: 'Progress',
    topicTitle: 'Title', body: 'Description', threshold: 'Supports needed', kind: 'Kind', discTitle: 'Title', items: 'Items', itemLabel: 'Item', amount: 'Amount (yuan)', addItem: 'Add an item', publishIt: 'Publish',
    ok: 'Done: {a}', confirm: '{a}?', me: 'me', proposed: 'Proposed; waiting for supports', discOk: 'Published on the board',
    needAttendees: 'Pick the attendees', needMinutes: 'Write the minutes', needChoice: 'Pick a choice', needRating: 'Pick a rating', needNote: 'Write a note', needPlace: 'Pick a community or grid', needTitle: 'Write a title', needItems: 'Every item needs a label and an amount (at most 2 decimals)',
  },
  topicStatus: { proposed: 'Seeking support', seconded: 'Seconded', agenda: 'On the agenda', voting: 'Voting', passed: 'Passed', failed: 'Failed', published: 'Published', executing: 'In progress', done: 'Done', rejected: 'Rejected', withdrawn: 'Withdrawn' },
  topicAction: { support: 'Support', accept: 'Put on the agenda', reject: 'Reject', withdraw: 'Withdraw', meet: 'Record the meeting', vote: 'Vote', close_vote: 'Close the vote', publish: 'Publish the resolution', progress: 'Record progress', complete: 'Mark done', evaluate: 'Rate' },
  vote: { for: 'For', against: 'Against', abstain: 'Abstain' },
  discKind: { property_fee: 'Property fees', project_fund: 'Project funds', finance: 'Community finances', affairs: 'Community affairs', other: 'Other' },
  party: {
    title: 'Party & key tasks', tasks: 'Key tasks', orgs: 'Party orgs', members: 'Members', reportIns: 'Report-ins', covers: 'Cover links', meetings: 'Meetings', compliance: 'Compliance',
    noTasks: 'No key tasks', milestones: 'Milestones', milestone: 'Milestone', dueOn: 'Due', doneOn: 'Done', reports: 'Monthly progress', month: 'Month', percent: 'Done', note: 'Note',
    color: 'Colour', taskTitle: 'Task', kind: 'Kind', owner: 'Owner unit', leader: 'Leader', progress: 'Progress', budget: 'Spend / budget', reason: 'Why',
    orgName: 'Party org', node: 'Org node', memberCount: 'Members', name: 'Name', memberKind: 'Kind', joinedOn: 'Joined', community: 'Community', skills: 'Skills', available: 'Available', reportedAt: 'Reported',
    cadre: 'Cadre', level: 'Level', duty: 'Duty', heldOn: 'Date', meetingKind: 'Meeting', meetingTitle: 'Title', attendance: 'Attendance', att: '{p} present, {a} absent, {e} excused',
    check: 'Check', compSummary: '{n} branches checked, {k} with missing meetings', allCompliant: 'Every branch held its meetings in the period', branch: 'Branch', missingCount: 'Missing', months: 'Months',
  },
  taskColor: { blue: 'On track', yellow: 'Warning', red: 'Late' },
  taskKind: { key_task: 'Key task', livelihood: 'Livelihood project' },
  partyKind: { working_committee: 'Working committee', committee: 'Committee', general_branch: 'General branch', branch: 'Branch', group: 'Group', party_household: 'Member household' },
  memberKind: { member: 'Member', cadre: 'Cadre', in_service: 'In service' },
  coverLevel: { district: 'District', street: 'Street', community: 'Community' },
  meetingKind: { branch_assembly: 'Branch assembly', committee_meeting: 'Committee meeting', group_meeting: 'Group meeting', party_lecture: 'Party lecture' },
})

// 排名与评价 (issue 6 item 8): participation in the unit ranking, 下沉干部评价
Object.assign(zh.nav, { cadres: '下沉干部评价' })
Object.assign(en.nav, { cadres: 'Cadre evaluation' })
Object.assign(zh.dash, { rkService: '服务', rkRating: '评单', rkVisit: '走访', rkMeeting: '三会', rkTasks: '任务', rkServiceT: '服务订单完成率', rkRatingT: '评单均分（1–5）', rkVisitT: '六必访按期率', rkMeetingT: '三会一课合规率', rkTasksT: '重点任务 蓝/黄/红' })
Object.assign(en.dash, { rkService: 'Orders', rkRating: 'Rating', rkVisit: 'Visits', rkMeeting: 'Meetings', rkTasks: 'Tasks', rkServiceT: 'Service orders completed', rkRatingT: 'Mean order rating (1–5)', rkVisitT: 'Visits made in time', rkMeetingT: 'Party meetings held as required', rkTasksT: 'Key tasks blue/yellow/red' })
Object.assign(zh, {
  cadre: {
    title: '下沉干部评价', month: '按月', quarter: '按季度', year: '按年', allScope: '全部社区（本辖区）', none: '本期间没有到本辖区报到的干部和在职党员',
    rank: '名次', name: '姓名', kind: '类别', partyOrg: '党组织', reportIns: '报到社区', claimed: '接单', completed: '完成', completion: '完成率', rating: '评单均分', review: '街道评价',
    points: '积分', score: '得分', stars: '星级', formula: '得分 = 评单 40 + 街道评价 20 + 完成率 25 + 完成单数 15（缺项不计）',
  },
})
Object.assign(en, {
  cadre: {
    title: 'Cadre evaluation', month: 'Month', quarter: 'Quarter', year: 'Year', allScope: 'All communities in scope', none: 'No cadre or in-service member reported in here in this period',
    rank: 'Rank', name: 'Name', kind: 'Kind', partyOrg: 'Party org', reportIns: 'Report-ins', claimed: 'Claimed', completed: 'Done', completion: 'Done %', rating: 'Rating', review: 'Review',
    points: 'Points', score: 'Score', stars: 'Stars', formula: 'Score = rating 40 + street review 20 + done % 25 + orders done 15 (missing parts drop out)',
  },
})
// 党建 forms and the members' 双报到 phone page (issue 6)
Object.assign(zh.mobile, { party: '报到' })
Object.assign(en.mobile, { party: 'Report in' })
Object.assign(zh.party, {
  newTask: '新建任务', editTask: '编辑任务', taskName: '任务名称', ops: '操作', addMilestone: '添加节点', markDone: '完成', undoDone: '撤销完成', fileProgress: '填报月度进展',
  description: '任务说明', budgetYuan: '预算（元）', spendYuan: '已支出（元）', spendToDate: '累计支出（元）', unchanged: '不填则不变',
  userTip: '可从列表选择，或直接输入用户编号后回车', stale: '该任务刚被他人修改，已载入最新内容，请核对后重新保存', doneOk: '节点已标记完成', reopened: '节点已恢复为未完成',
  newOrg: '新建党组织', addChild: '新增下级', parent: '上级党组织', topLevel: '顶层（党工委、党委）', secretary: '书记',
  newMember: '登记党员', account: '关联账号', accountTip: '关联账号后，党员可以用自己的账号在手机上“双报到”', newReportIn: '登记报到',
  newCover: '新增包保', confirmUncover: '确定解除“{u}”对“{n}”的包保吗？',
  newMeeting: '登记会议', minutes: '会议记录', noMembers: '该党组织暂无党员', pickOrgFirst: '请先选择党组织', allPresent: '全部出席',
  editAttendance: '修改出勤', needAttendance: '请至少登记一人的出席情况', meetingOk: '会议已登记', fillGap: '补登会议',
})
Object.assign(en.party, {
  newTask: 'New task', editTask: 'Edit task', taskName: 'Task name', ops: 'Actions', addMilestone: 'Add milestone', markDone: 'Done', undoDone: 'Undo', fileProgress: 'Monthly progress',
  description: 'Description', budgetYuan: 'Budget (yuan)', spendYuan: 'Spent (yuan)', spendToDate: 'Spent to date (yuan)', unchanged: 'empty: unchanged',
  userTip: 'Pick from the list, or type a user number and press Enter', stale: 'Someone else just changed this task; its latest version is loaded, check it and save again', doneOk: 'Milestone done', reopened: 'Milestone reopened',
  newOrg: 'New party org', addChild: 'Add child', parent: 'Parent org', topLevel: 'Top level (working committee, committee)', secretary: 'Secretary',
  newMember: 'Register a member', account: 'Account', accountTip: 'With an account, the member reports in on their phone', newReportIn: 'Record a report-in',
  newCover: 'New cover link', confirmUncover: 'Remove the cover link of "{u}" on "{n}"?',
  newMeeting: 'Record a meeting', minutes: 'Minutes', noMembers: 'This org has no members', pickOrgFirst: 'Pick the party org first', allPresent: 'All present',
  editAttendance: 'Change attendance', needAttendance: 'Record at least one member', meetingOk: 'Meeting recorded', fillGap: 'Record meeting',
})
Object.assign(zh, {
  attend: { present: '出席', absent: '缺席', excused: '请假' },
  baodao: {
    title: '双报到', intro: '在职党员到居住地社区报到，亮身份、领任务、办实事。报到后可在“服务”里接单。', community: '报到社区', skills: '特长和服务意愿',
    skillsPh: '如：法律咨询、家电维修、陪老人聊天', available: '可服务时间', availablePh: '如：周末全天、工作日晚上', submit: '报到', ok: '报到成功', mine: '我的报到',
    none: '还没有报到记录', allDone: '您已向所在社区报到', toServices: '去接单', needCommunity: '请选择报到社区', reported: '已报到', recordedBy: '由工作人员登记',
  },
})
Object.assign(en, {
  attend: { present: 'Present', absent: 'Absent', excused: 'Excused' },
  baodao: {
    title: 'Report in', intro: 'In-service party members report in to the community where they live, offer their skills and take on tasks. Then claim orders under Services.', community: 'Community', skills: 'Skills and what you offer',
    skillsPh: 'e.g. legal advice, repairs, keeping elders company', available: 'When you are available', availablePh: 'e.g. weekends, weekday evenings', submit: 'Report in', ok: 'Reported in', mine: 'My report-ins',
    none: 'No report-ins yet', allDone: 'You have reported in to your community', toServices: 'Claim orders', needCommunity: 'Pick the community', reported: 'reported', recordedBy: 'recorded by staff',
  },
})

const saved = localStorage.getItem('gridgov.lang')
export const i18n = createI18n({ legacy: false, locale: saved === 'en' ? 'en' : 'zh-CN', fallbackLocale: 'zh-CN', messages: { 'zh-CN': zh, en } })

export function setLang(l) {
  i18n.global.locale.value = l
  localStorage.setItem('gridgov.lang', l)
  document.documentElement.lang = l
}

// an API error as a sentence for the user
export function errText(e) {
  const t = i18n.global.t
  if (!e) return t('errors.500')
  if (e.status === 0 || e.code === 'network') return t('errors.network')
  if (e.message && e.status !== 500) {
    return i18n.global.locale.value === 'en' && /[\u4e00-\u9fa5]/.test(e.message) ? `${t('errors.' + e.status) || ''} (${e.message})` : e.message
  }
  return t(`errors.${e.status}`) || e.message || t('errors.500')
}
