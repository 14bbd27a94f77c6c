"""Messages of leaderboards, study groups, /stats, the weekly recap and /privacy."""

MESSAGES: dict[str, dict[str, str]] = {
    # -- leaderboards --------------------------------------------------------------------------------------------
    "board.title": {"zh": "排行榜 · {period}", "en": "Leaderboard · {period}"},
    "board.period.day": {"zh": "今天（{bucket}）", "en": "today ({bucket})"},
    "board.period.week": {"zh": "本周（{bucket}）", "en": "this week ({bucket})"},
    "board.period.month": {"zh": "本月（{bucket}）", "en": "this month ({bucket})"},
    "board.period.all": {"zh": "总榜", "en": "all time"},
    "board.scope.all": {"zh": "每日一题 + 测验", "en": "daily question + quizzes"},
    "board.scope.daily": {"zh": "仅每日一题", "en": "daily question only"},
    "board.scope.quiz": {"zh": "仅测验", "en": "quizzes only"},
    "board.topic": {"zh": "主题：{topic}", "en": "Topic: {topic}"},
    "board.group": {"zh": "小组：{group}", "en": "Group: {group}"},
    "board.line": {"zh": "**{rank}.** {member} — {points} 分", "en": "**{rank}.** {member} — {points:|pt|pts}"},
    "board.streak": {"zh": " · 🔥 {days} 天", "en": " · 🔥 {days}d"},
    "board.empty": {"zh": "这个时段还没有人得分。", "en": "Nobody has points in this period yet."},
    "board.empty_page": {"zh": "这一页没有更多了。", "en": "There is nothing more on this page."},
    "board.you": {"zh": "你", "en": "You"},
    "board.you.rank": {"zh": "第 {rank} 名，{points} 分", "en": "#{rank} with {points:|point|points}"},
    "board.you.none": {"zh": "这个时段你还没有得分。", "en": "You have no points in this period yet."},
    "board.you.hidden": {
        "zh": "（你已从公开榜单隐藏，别人看不到你；用 /privacy show 重新加入）",
        "en": "(you are hidden from the public boards; /privacy show puts you back)",
    },
    "board.you.not_in_group": {"zh": "你不在这个小组里。", "en": "You are not in this group."},
    "board.footer": {"zh": "第 {page} 页 · {scope}", "en": "Page {page} · {scope}"},
    "board.button.previous": {"zh": "上一页", "en": "Previous"},
    "board.button.next": {"zh": "下一页", "en": "Next"},
    "board.unknown_period": {"zh": "没有这个时段：{period}", "en": "There is no period {period}."},
    "board.unknown_scope": {"zh": "没有这个积分来源：{scope}", "en": "There is no points source {scope}."},
    "board.unknown_topic": {"zh": "题库里没有主题 `{topic}`。", "en": "The bank has no topic `{topic}`."},
    "board.no_page": {"zh": "没有这一页。", "en": "There is no such page."},
    "board.all_topics": {"zh": "全部主题", "en": "all topics"},
    # -- study groups ------------------------------------------------------------------------------------------
    "board.groups.title": {"zh": "小组排行 · {period}", "en": "Study groups · {period}"},
    "board.groups.line": {
        "zh": "**{rank}.** {name}（{where}）— 人均 {per_active} 分 · 共 {total} 分 · {active} 人得分",
        "en": "**{rank}.** {name} ({where}) — {per_active} per active member · {total} total · {active} active",
    },
    "board.groups.none": {
        "zh": "还没有学习小组。服务器管理员可以用 /group add 添加。",
        "en": "There are no study groups yet. Server managers add them with /group add.",
    },
    "board.groups.footer": {
        "zh": "按得分成员的人均分排名，人多的组不会只靠人数取胜。",
        "en": "Ranked by points per active member, so a large group does not win by size alone.",
    },
    "board.group.added": {
        "zh": "已添加学习小组 **{name}**（{where}）。", "en": "Study group **{name}** ({where}) added.",
    },
    "board.group.removed": {"zh": "已删除学习小组 **{name}**。", "en": "Study group **{name}** removed."},
    "board.group.unknown": {"zh": "没有叫 **{name}** 的学习小组。", "en": "There is no study group named **{name}**."},
    "board.group.exists": {"zh": "已经有叫 **{name}** 的学习小组了。", "en": "A study group named **{name}** exists."},
    "board.group.bad_name": {
        "zh": "小组名需要 1 到 {limit} 个字符。", "en": "A group name takes 1 to {limit} characters.",
    },
    "board.group.role_or_channel": {
        "zh": "请只选一个：身份组，或者设置了每日一题的频道。",
        "en": "Pick exactly one: a role, or a channel that has a daily question.",
    },
    "board.group.no_schedule": {
        "zh": "{channel} 没有每日一题，不能作为小组。先用 /qotd setup 设置。",
        "en": "{channel} has no daily question, so it cannot be a group. Set one up with /qotd setup first.",
    },
    # -- /stats --------------------------------------------------------------------------------------------------
    "stats.title": {"zh": "学习进度", "en": "Progress"},
    "stats.member": {"zh": "{member} 的学习进度", "en": "Progress of {member}"},
    "stats.points": {"zh": "积分", "en": "Points"},
    "stats.points_value": {"zh": "总计 {points} · 本周 {week}", "en": "{points} all time · {week} this week"},
    "stats.rank": {"zh": "排名", "en": "Rank"},
    "stats.rank_value": {"zh": "第 {rank} 名", "en": "#{rank}"},
    "stats.no_rank": {"zh": "暂无", "en": "none yet"},
    "stats.streak": {"zh": "连续作答", "en": "Streak"},
    "stats.streak_value": {"zh": "🔥 {current} 天（最长 {best} 天）", "en": "🔥 {current}-day streak (best {best})"},
    "stats.answers": {"zh": "作答", "en": "Answers"},
    "stats.answers_value": {
        "zh": "共 {answers} 次 · 近 26 周有 {days} 天作答",
        "en": "{answers} in all · {days:|active day|active days} in the last 26 weeks",
    },
    "stats.topics": {"zh": "各主题掌握情况", "en": "Mastery by topic"},
    "stats.topic_line": {
        "zh": "**{topic}**：{answers} 次 · 要点覆盖 {coverage} · 自评 ✅{got} 🟡{partly} ❌{missed}",
        "en": "**{topic}**: {answers:|answer|answers} · key points {coverage} · "
              "self-grades ✅{got} 🟡{partly} ❌{missed}",
    },
    "stats.no_coverage": {"zh": "—", "en": "—"},
    "stats.no_answers": {"zh": "还没有作答记录。", "en": "No answers yet."},
    "stats.hidden": {
        "zh": "{member} 选择了不公开自己的数据。", "en": "{member} has chosen to keep their figures private.",
    },
    "stats.hidden_note": {
        "zh": "你已从公开榜单隐藏，只有你能看到这些数据。",
        "en": "You are hidden from the public boards; only you see this.",
    },
    "stats.footer": {
        "zh": "图：近 26 周每天的作答数（{timezone}，到 {today}）；各主题的作答数与要点覆盖率",
        "en": "Chart: answers per day over the last 26 weeks ({timezone}, to {today}); answers and key-point "
              "coverage by topic",
    },
    "stats.image_alt": {
        "zh": "近 26 周作答热力图与各主题掌握情况", "en": "Answers heatmap of the last 26 weeks and mastery by topic",
    },
    # -- the weekly recap -------------------------------------------------------------------------------------
    "recap.title": {"zh": "每周回顾 · {first} – {last}", "en": "Weekly recap · {first} – {last}"},
    "recap.top": {"zh": "本周积分榜", "en": "Top of the week"},
    "recap.top_line": {"zh": "**{rank}.** {member} — {points} 分", "en": "**{rank}.** {member} — {points:|pt|pts}"},
    "recap.streaks": {"zh": "最长连续作答", "en": "Longest streaks"},
    "recap.streak_line": {"zh": "{member} — 🔥 {days} 天", "en": "{member} — 🔥 {days}-day streak"},
    "recap.hardest": {"zh": "本周最难的题", "en": "Hardest question of the week"},
    "recap.hardest_line": {
        "zh": "{date} · {prompt}\n{answers} 人作答 · 平均要点覆盖 {coverage} · 🔴 {red}",
        "en": "{date} · {prompt}\n{answers} answered · mean key-point coverage {coverage} · 🔴 {red}",
    },
    "recap.voted": {"zh": "最受好评的答案", "en": "Most up-voted answers"},
    "recap.voted_line": {"zh": "{member} — 👍 {votes} · {prompt}", "en": "{member} — 👍 {votes} · {prompt}"},
    "recap.nobody": {"zh": "—", "en": "—"},
    "recap.footer": {
        "zh": "每周回顾由服务器管理员用 /recap config 设置",
        "en": "Server managers set the weekly recap with /recap config",
    },
    "recap.saved": {
        "zh": "每周回顾：{state}，每{weekday} {time}（{timezone}）发在 {channel}。下一次：{next}。",
        "en": "Weekly recap: {state}, every {weekday} at {time} ({timezone}) in {channel}. Next: {next}.",
    },
    "recap.on": {"zh": "已开启", "en": "on"},
    "recap.off": {"zh": "已关闭", "en": "off"},
    "recap.no_channel": {
        "zh": "这个服务器还没有每日一题频道：请在 /recap config 里指定回顾发到哪个频道。",
        "en": "This server has no daily-question channel yet: name the recap's channel in /recap config.",
    },
    "recap.preview_empty": {
        "zh": "最近 7 天还没有可回顾的内容。", "en": "There is nothing to recap in the last 7 days yet.",
    },
    "recap.weekday.0": {"zh": "周一", "en": "Monday"},
    "recap.weekday.1": {"zh": "周二", "en": "Tuesday"},
    "recap.weekday.2": {"zh": "周三", "en": "Wednesday"},
    "recap.weekday.3": {"zh": "周四", "en": "Thursday"},
    "recap.weekday.4": {"zh": "周五", "en": "Friday"},
    "recap.weekday.5": {"zh": "周六", "en": "Saturday"},
    "recap.weekday.6": {"zh": "周日", "en": "Sunday"},
    # -- /privacy ----------------------------------------------------------------------------------------------
    "privacy.hidden": {
        "zh": "你已离开公开榜单和每周回顾；积分照常累计。用 /privacy show 重新加入。",
        "en": "You have left the public boards and the weekly recap; your points still count. "
              "/privacy show puts you back.",
    },
    "privacy.shown": {"zh": "你重新出现在公开榜单上了。", "en": "You are back on the public boards."},
    "privacy.already_hidden": {"zh": "你已经是隐藏状态。", "en": "You are already hidden from the boards."},
    "privacy.already_shown": {"zh": "你本来就在公开榜单上。", "en": "You are already on the public boards."},
    "privacy.exported": {
        "zh": "这是你在本服务器的全部数据，只有你能看到。文件包含：{sections}。",
        "en": "Here is all your data in this server; only you see it. The file holds: {sections}.",
    },
    "privacy.delete_confirm": {
        "zh": "确定要删除你在本服务器的全部答案、表情、投票和积分吗？此操作无法撤销。",
        "en": "Delete all your answers, reactions, votes and points in this server? This cannot be undone.",
    },
    "privacy.button.delete": {"zh": "全部删除", "en": "Delete everything"},
    "privacy.button.keep": {"zh": "取消", "en": "Keep my data"},
    "privacy.deleted": {
        "zh": "已删除：{answers} 个答案、{reactions} 个表情、{votes} 个投票、{points} 条积分记录。榜单已重新计算。",
        "en": "Deleted: {answers:|answer|answers}, {reactions:|reaction|reactions}, "
              "{votes:|vote|votes} and {points:|ledger entry|ledger entries}. "
              "The boards are recomputed.",
    },
    "privacy.kept": {"zh": "没有删除任何数据。", "en": "Nothing was deleted."},
    "privacy.not_yours": {"zh": "这个按钮不是给你的。", "en": "This button is not yours."},
    "recap.report_failed": {
        "zh": "我无法在 {channel} 发每周回顾（{reason}）。请检查我的权限，或用 /recap config 换一个频道。",
        "en": "I could not post the weekly recap in {channel} ({reason}). Check my permissions there, "
              "or choose another channel with /recap config.",
    },
}
