"""Messages of the rewards: best answers, nudges and their settings."""

MESSAGES: dict[str, dict[str, str]] = {
    "rewards.bad_delay": {
        "zh": "延迟 {value} 分钟不行：请填 1 到 {most} 分钟。",
        "en": "A delay of {value:|minute|minutes} will not do: give 1 to {most:|minute|minutes}.",
    },
    "rewards.status.best_on": {
        "zh": "⭐ 最佳答案：开启。揭晓后由管理员选出；{minutes} 分钟内无人选时，自动选最接近参考答案的回答。",
        "en": "⭐ Best answer: on. A manager picks it after the reveal; if nobody has within "
              "{minutes:|minute|minutes}, the answer closest to the reference is picked.",
    },
    "rewards.status.best_off": {"zh": "⭐ 最佳答案：关闭。", "en": "⭐ Best answer: off."},
    "rewards.status.nudges_on": {
        "zh": "⏰ 提醒：开启。成员可用 /nudge on 在揭晓前一小时收到私信提醒。",
        "en": "⏰ Nudges: on. Members can use /nudge on to get a DM an hour before the reveal.",
    },
    "rewards.status.nudges_off": {"zh": "⏰ 提醒：关闭。", "en": "⏰ Nudges: off."},
    # best answer
    "rewards.best.button": {"zh": "最佳答案", "en": "Best answer"},
    "rewards.best.managers_only": {
        "zh": "只有拥有“管理服务器”权限的成员才能选出最佳答案。",
        "en": "Only members with Manage Server can pick the best answer.",
    },
    "rewards.best.already": {
        "zh": "这道题已经选出最佳答案：{name}。", "en": "This question already has its best answer: {name}.",
    },
    "rewards.best.none_here": {
        "zh": "这条消息里没有可以当选最佳答案的回答（迟交的回答不参与）。",
        "en": "No answer on this message can be the best answer (late answers cannot).",
    },
    "rewards.best.not_answers": {
        "zh": "请在揭晓帖里带有成员回答的消息上使用它。",
        "en": "Use it on a message of members' answers in a reveal thread.",
    },
    "rewards.best.pick_prompt": {"zh": "选出今天的最佳答案：", "en": "Pick today's best answer:"},
    "rewards.best.choose": {"zh": "选择一个回答", "en": "Choose an answer"},
    "rewards.best.picked": {
        "zh": "⭐ 已选出最佳答案：{name}（+{points} 分）。",
        "en": "⭐ Best answer marked: {name} (+{points:|point|points}).",
    },
    "rewards.best.line_manager": {
        "zh": "⭐ 今日最佳答案：**{name}**（+{points} 分，由 {manager} 选出）",
        "en": "⭐ Best answer of the day: **{name}** (+{points:|point|points}, picked by {manager})",
    },
    "rewards.best.line_auto": {
        "zh": "⭐ 今日最佳答案：**{name}**（+{points} 分，最接近参考答案）",
        "en": "⭐ Best answer of the day: **{name}** (+{points:|point|points}, the closest match to the reference)",
    },
    "rewards.best.gone": {"zh": "找不到这个回答了。", "en": "That answer is no longer there."},
    "rewards.best.not_revealed": {
        "zh": "揭晓之后才能选最佳答案。", "en": "The best answer can be picked only after the reveal.",
    },
    "rewards.best.off": {
        "zh": "本服务器没有开启最佳答案（/rewards best_answer）。",
        "en": "Best answers are off in this server (/rewards best_answer).",
    },
    "rewards.best.late": {
        "zh": "迟交的回答只得迟交分，不能当选最佳答案。",
        "en": "A late answer earns the late points only; it cannot be the best answer.",
    },
    # nudges
    "rewards.nudge.on": {
        "zh": "好的：当你还没回答时，会在揭晓前一小时私信提醒你（每天最多一次）。用 /nudge off 关闭。",
        "en": "Done: when you have not answered, you get a DM an hour before the reveal (at most once a day). "
              "/nudge off stops it.",
    },
    "rewards.nudge.on_server_off": {
        "zh": "已记下。本服务器的管理员还没有开启提醒，开启后你就会收到。",
        "en": "Noted. This server's managers have not turned nudges on yet; you will get them once they do.",
    },
    "rewards.nudge.off": {"zh": "已关闭揭晓前的提醒。", "en": "Nudges before the reveal are off."},
    "rewards.nudge.was_off": {"zh": "你本来就没有开启提醒。", "en": "You had no nudges on."},
    "rewards.nudge.title": {"zh": "⏰ 每日一题还在等你", "en": "⏰ The daily question is waiting for you"},
    "rewards.nudge.text": {
        "zh": "{channel} 的每日一题将在 {reveal} 揭晓，你还没有回答。",
        "en": "The daily question in {channel} is revealed {reveal}, and you have not answered yet.",
    },
    "rewards.nudge.open": {"zh": "去回答", "en": "Answer it"},
    "rewards.nudge.footer": {
        "zh": "你用 /nudge on 开启了这个提醒；/nudge off 可关闭。",
        "en": "You asked for this with /nudge on; /nudge off stops it.",
    },
    "rewards.nudge.dm_closed": {
        "zh": "{date} 我没能私信提醒你（你的私信未开放），提醒已暂停。用 /nudge on 恢复。",
        "en": "I could not DM you your nudge on {date} (your DMs are closed), so nudges are paused. "
              "/nudge on resumes them.",
    },
}
