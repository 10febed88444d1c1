// English and Simplified Chinese, following the browser's language, with a switch.

const kStrings = {
  en: {
    appName: "Hearth", signIn: "Sign in", signUp: "Create account", email: "Email", password: "Password",
    signOut: "Sign out", noAccount: "New here? Create an account", haveAccount: "Have an account? Sign in",
    home: "Home", allRooms: "All", noRoom: "No room", online: "Online", offline: "Offline", power: "Power",
    noHomes: "No home yet.", noDevices: "No devices here yet.", back: "Back", run: "Run",
    failed: "Failed", deviceOffline: "The device is offline", deviceError: "The device refused",
    live: "Live", connecting: "Connecting…", retryingIn: "Offline · retrying in {n} s", language: "中文", unreachable: "The server cannot be reached.",
    history: "History", hour: "Hour", day: "Day", week: "Week", noHistory: "No history yet.", events: "Events",
    noEvents: "Nothing happened this week.", manage: "Manage", name: "Name", room: "Room", save: "Save",
    remove: "Remove device", confirmRemove: "Remove this device from the home? Its history is forgotten.",
    addDevice: "Add device", bindCode: "Bind code", add: "Add", added: "Added",
    settings: "Settings", rooms: "Rooms", newRoom: "New room", members: "Members", removeMember: "Remove",
    invite: "Invite", invited: "Invitation sent", role: "Role", owner: "Owner", admin: "Admin", member: "Member",
    guest: "Guest", delete: "Delete", invitations: "Invitations", accept: "Accept", decline: "Decline",
    sharedWithMe: "Shared with me", share: "Share", shares: "Shared with", until: "Until", unshare: "Stop sharing",
    devices: "Devices", bound: "Bound", users: "Users", usersWith5: "Users with 5+ devices", homes: "Homes",
    dau: "Active today", mau: "Active this month", operator: "Operator", byType: "Devices by type",
    assistant: "Assistant", assistantAsk: "Ask or tell your home…", send: "Send", speak: "Speak",
    stopListening: "Stop and send", speakReplies: "Read replies aloud", close: "Close",
    assistantHint: "Try “turn off the lights in the kitchen” or “is the front door locked?”",
    noMicrophone: "The microphone cannot be used",
    open: "Open", closed: "Closed", motion: "Motion", someone: "someone",
  },
  zh: {
    appName: "Hearth", signIn: "登录", signUp: "注册", email: "邮箱", password: "密码",
    signOut: "退出登录", noAccount: "没有账号？注册", haveAccount: "已有账号？登录",
    home: "家", allRooms: "全部", noRoom: "未分配房间", online: "在线", offline: "离线", power: "电源",
    noHomes: "还没有家庭。", noDevices: "这里还没有设备。", back: "返回", run: "执行",
    failed: "失败", deviceOffline: "设备离线", deviceError: "设备拒绝了操作",
    live: "实时", connecting: "正在连接…", retryingIn: "离线 · {n} 秒后重试", language: "English", unreachable: "无法连接服务器。",
    history: "历史", hour: "小时", day: "天", week: "周", noHistory: "还没有历史数据。", events: "事件",
    noEvents: "本周没有事件。", manage: "管理", name: "名称", room: "房间", save: "保存",
    remove: "移除设备", confirmRemove: "从家中移除此设备？其历史数据将被删除。",
    addDevice: "添加设备", bindCode: "绑定码", add: "添加", added: "已添加",
    settings: "设置", rooms: "房间", newRoom: "新房间", members: "成员", removeMember: "移除",
    invite: "邀请", invited: "邀请已发送", role: "角色", owner: "所有者", admin: "管理员", member: "成员",
    guest: "访客", delete: "删除", invitations: "邀请", accept: "接受", decline: "拒绝",
    sharedWithMe: "共享给我的", share: "共享", shares: "已共享给", until: "截止", unshare: "停止共享",
    devices: "设备", bound: "已绑定", users: "用户", usersWith5: "拥有5台以上设备的用户", homes: "家庭",
    dau: "今日活跃", mau: "本月活跃", operator: "运营", byType: "按类型的设备",
    assistant: "助手", assistantAsk: "对家说点什么…", send: "发送", speak: "说话",
    stopListening: "停止并发送", speakReplies: "朗读回复", close: "关闭",
    assistantHint: "试试“把厨房的灯关掉”或“前门锁了吗？”（语音目前只听得懂英文）",
    noMicrophone: "无法使用麦克风",
    open: "已打开", closed: "已关闭", motion: "有人移动", someone: "某人",
  },
};

export type Lang = keyof typeof kStrings;
export type Key = keyof (typeof kStrings)["en"];

const kLang = "hearth.lang";

export function initialLang(): Lang {
  const saved = localStorage.getItem(kLang);
  if (saved === "en" || saved === "zh") return saved;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function saveLang(lang: Lang) {
  localStorage.setItem(kLang, lang);
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

export function translate(lang: Lang, key: Key): string {
  return kStrings[lang][key];
}

// The spec's locale for a language: its locale maps are keyed like "zh-CN", "en-US".
export function specLocale(lang: Lang): string {
  return lang === "zh" ? "zh-CN" : "en-US";
}
