"""Reward roles (/roles, the reports to admins) and the monthly season summary of the recap."""

MESSAGES: dict[str, dict[str, str]] = {
    # -- /roles ----------------------------------------------------------------------------------------------
    "roles.tier_saved": {
        "zh": "连续作答身份组：连续作答满 {days} 天的成员将获得 {role}（每人只保留达到的最高一档，连续中断即收回）。",
        "en": "Streak role: members whose streak reaches {days:|day|days} get {role} (each keeps only the highest tier "
              "reached, and loses it when the streak breaks).",
    },
    "roles.tier_removed": {
        "zh": "已删除 {days} 天的连续作答身份组；机器人会从它发放过的成员那里收回。",
        "en": "The {days}-day streak role is removed; the bot takes it back from the members it gave it to.",
    },
    "roles.champion_saved": {
        "zh": "月度冠军身份组：每月结束时（按 {timezone} 计）{role} 授予当月积分榜第一名，"
              "上一位冠军随即失去它；现在由上个月的冠军持有。",
        "en": "Monthly champion role: at each month's end (in {timezone}) the top of the month's board gets "
              "{role} and the previous champion loses it; last month's champion holds it now.",
    },
    "roles.champion_cleared": {
        "zh": "已停用月度冠军身份组；机器人会从当前冠军那里收回。",
        "en": "No monthly champion role any more; the bot takes it back from the current champion.",
    },
    "roles.list": {
        "zh": "**连续作答身份组**\n{tiers}\n**月度冠军身份组**：{champion}（按 {timezone} 计月）",
        "en": "**Streak roles**\n{tiers}\n**Monthly champion role**: {champion} (months in {timezone})",
    },
    "roles.list.tier": {"zh": "🔥 {days} 天 → {role}", "en": "🔥 {days:|day|days} → {role}"},
    "roles.list.no_tiers": {"zh": "（无）", "en": "(none)"},
    "roles.bad_days": {"zh": "天数需在 1 到 {limit} 之间。", "en": "The days must be between 1 and {limit}."},
    "roles.in_use": {
        "zh": "{role} 已用作另一个奖励身份组；每个身份组只能用于一处。",
        "en": "{role} is already another reward role; a role can serve only one of them.",
    },
    "roles.no_tier": {"zh": "没有 {days} 天的连续作答身份组。", "en": "There is no {days}-day streak role."},
    # -- problems: at set-up (ephemeral) and in the report to admins -----------------------------------------
    "roles.problem.manage_roles": {
        "zh": "无法发放 {role}："
              "机器人缺少 **管理身份组**（Manage Roles）权限。请在服务器设置 → 身份组中给机器人的身份组开启它。",
        "en": "I can't give {role}: I lack the **Manage Roles** permission. Turn it on for my role in Server "
              "Settings → Roles.",
    },
    "roles.problem.role_above": {
        "zh": "无法发放 {role}：它不低于机器人的最高身份组。请在服务器设置 → 身份组中把机器人的身份组拖到它上方。",
        "en": "I can't give {role}: it is not below my highest role. In Server Settings → Roles, drag my role "
              "above it.",
    },
    "roles.problem.role_managed": {
        "zh": "无法发放 {role}：它是 @everyone 或由集成管理的身份组，机器人不能发放。",
        "en": "I can't give {role}: it is @everyone or a role an integration manages, which no bot can give.",
    },
    "roles.problem.role_gone": {
        "zh": "身份组 {role} 已不存在；请用 `/roles` 换一个或删除这项设置。",
        "en": "The role {role} no longer exists; choose another or remove it with `/roles`.",
    },
    "roles.problem.forbidden": {
        "zh": "Discord 拒绝了对 {role} 的更改（Missing Permissions）；请检查机器人的权限和身份组顺序。",
        "en": "Discord refused to change {role} (Missing Permissions); check my permissions and the role order.",
    },
    "roles.every_role": {"zh": "任何奖励身份组", "en": "any reward role"},
    "roles.report": {
        "zh": "**{guild}** 的奖励身份组无法更新："
              "\n{problems}\n（此问题只提醒一次；修复后机器人会在几分钟内自动补上。）",
        "en": "The reward roles of **{guild}** cannot be kept up to date:\n{problems}\n(You are told once; once "
              "it is fixed the bot catches up within minutes.)",
    },
    "roles.reason.streak": {"zh": "连续作答奖励", "en": "Daily-question streak reward"},
    "roles.reason.champion": {"zh": "月度冠军", "en": "Monthly champion"},
    "roles.reason.take": {"zh": "奖励条件不再满足", "en": "Reward no longer earned"},
    # -- the season summary (/recap season) ------------------------------------------------------------------
    "season.title": {"zh": "{month} 赛季总结", "en": "Season summary · {month}"},
    "season.champion": {"zh": "🏆 本月冠军", "en": "🏆 Champion of the month"},
    "season.champion_line": {"zh": "{member} — {points} 分", "en": "{member} — {points:|pt|pts}"},
    "season.top": {"zh": "本月积分榜", "en": "Top of the month"},
    "season.streaks": {"zh": "本月最长连续作答", "en": "Longest streaks of the month"},
    "season.topic": {"zh": "作答最多的主题", "en": "Most answered topic"},
    "season.topic_line": {"zh": "{topic} — {answers} 份作答", "en": "{topic} — {answers:|answer|answers}"},
    "season.figures": {"zh": "本月数据", "en": "The month in figures"},
    "season.figures_line": {
        "zh": "{posts} 道每日一题 · {answers} 份作答 · {members} 位成员参与",
        "en": "{posts:|daily question|daily questions} · {answers:|answer|answers} · {members:|member|members} "
              "took part",
    },
    "season.footer": {
        "zh": "新赛季开始了：积分榜已清零，连续作答继续累积。",
        "en": "A new season starts now: the monthly board is back to zero, streaks carry on.",
    },
    "season.saved": {
        "zh": "月度赛季总结：{state}。在每月结束时发布到 {channel}（按 {timezone} 计月）。",
        "en": "Monthly season summary: {state}. Posted at each month's end in {channel} (months in {timezone}).",
    },
    "season.report_failed": {
        "zh": "无法在 {channel} 发布月度赛季总结：{reason}。请检查机器人在该频道的权限。",
        "en": "I could not post the monthly season summary in {channel}: {reason}. Please check my permissions "
              "there.",
    },
}
