"""Messages of personal review: sessions, the deck, stats, reminders and their DMs."""

MESSAGES: dict[str, dict[str, str]] = {
    # errors
    "review.not_yours": {
        "zh": "这不是你的复习。用 /review start 开始你自己的复习。",
        "en": "This is not your review. Start your own with /review start.",
    },
    "review.question_gone": {
        "zh": "题目 `{question_id}` 已不在题库中。", "en": "Question `{question_id}` is no longer in the bank.",
    },
    "review.unknown_question": {"zh": "找不到题目 `{question_id}`。", "en": "No question with id `{question_id}`."},
    "review.unknown_topic": {"zh": "题库里没有主题 `{topic}`。", "en": "The bank has no topic `{topic}`."},
    "review.unknown_rating": {"zh": "看不懂这个评分。", "en": "I do not know that rating."},
    "review.add_one": {
        "zh": "请给出一道题目或一个主题（二选一）。", "en": "Give either a question or a topic (one of the two).",
    },
    "review.bad_time": {
        "zh": "时间 `{value}` 看不懂，请用 24 小时制，例如 09:00。",
        "en": "I cannot read the time `{value}`; use 24-hour HH:MM such as 09:00.",
    },
    "review.bad_timezone": {
        "zh": "不认识时区 `{value}`，请用 IANA 名称，例如 Asia/Shanghai。",
        "en": "Unknown time zone `{value}`; use an IANA name such as Asia/Shanghai.",
    },
    # a card in a session
    "review.card.title": {"zh": "复习 · 第 {position} 张（还有 {left} 张到期）",
                          "en": "Review · card {position} ({left} due)"},
    "review.card.state": {"zh": "状态", "en": "State"},
    "review.card.new": {"zh": "新卡片", "en": "new"},
    "review.card.learning": {"zh": "学习中", "en": "learning"},
    "review.card.review": {"zh": "复习中", "en": "review"},
    "review.card.relearning": {"zh": "重新学习", "en": "relearning"},
    "review.card.recall": {"zh": "当前预计记得的概率：{percent}", "en": "Predicted recall now: {percent}"},
    "review.card.hint": {
        "zh": "先在心里回答，再点「显示答案」。", "en": "Answer in your head first, then press Show answer.",
    },
    "review.answer.title": {"zh": "参考答案", "en": "Reference answer"},
    "review.answer.key_points": {"zh": "要点", "en": "Key points"},
    "review.answer.shortened": {
        "zh": "（答案较长，此处只显示开头；完整答案见 /question show {question_id}）",
        "en": "(shortened here; /question show {question_id} has the full answer)",
    },
    "review.answer.prompt": {"zh": "你记得多少？", "en": "How well did you remember it?"},
    "review.button.show": {"zh": "显示答案", "en": "Show answer"},
    "review.button.end": {"zh": "结束", "en": "End session"},
    "review.button.start": {"zh": "开始复习", "en": "Start review"},
    "review.rating.again": {"zh": "重来", "en": "Again"},
    "review.rating.hard": {"zh": "困难", "en": "Hard"},
    "review.rating.good": {"zh": "良好", "en": "Good"},
    "review.rating.easy": {"zh": "简单", "en": "Easy"},
    "review.rated": {"zh": "已记为「{rating}」：{question_id}，下次复习 {when}。",
                     "en": "Rated {rating}: {question_id}, next review {when}."},
    "review.rated_before": {
        "zh": "这张卡片本次已经评过分：{question_id}，下次复习 {when}。",
        "en": "That card was already rated in this session: {question_id}, next review {when}.",
    },
    "review.when": {"zh": "{local}（{zone}）", "en": "{local} ({zone})"},
    # the summary
    "review.summary.title": {"zh": "复习完成", "en": "Review finished"},
    "review.summary.nothing": {"zh": "现在没有到期的卡片。", "en": "Nothing is due right now."},
    "review.summary.empty_deck": {
        "zh": "你的卡组还是空的：回答每日一题、参加测验，或用 /review add 添加题目。",
        "en": "Your deck is empty: answer the daily question, take a quiz, or use /review add.",
    },
    "review.summary.reviewed": {"zh": "已复习", "en": "Reviewed"},
    "review.summary.reviewed_value": {
        "zh": "{count} 张（重来 {again} · 困难 {hard} · 良好 {good} · 简单 {easy}）",
        "en": "{count} (Again {again} · Hard {hard} · Good {good} · Easy {easy})",
    },
    "review.summary.retention": {"zh": "记住率", "en": "Retention"},
    "review.summary.retention_value": {
        "zh": "{percent}（{recalled}/{count} 张不是「重来」）", "en": "{percent} ({recalled} of {count} not Again)",
    },
    "review.summary.next_due": {"zh": "下一张到期", "en": "Next card due"},
    "review.summary.none": {"zh": "—", "en": "—"},
    # /review add
    "review.added_question": {
        "zh": "已把 `{question_id}` 加入你的卡组，现在就可以复习。",
        "en": "Added `{question_id}` to your deck; it is due now.",
    },
    "review.already_question": {
        "zh": "`{question_id}` 已经在你的卡组里。", "en": "`{question_id}` is already in your deck.",
    },
    "review.added_topic": {
        "zh": "已把「{topic}」的 {added} 道题加入你的卡组（{already} 道原本就在）。",
        "en": "Added {added:|question|questions} of {topic} to your deck ({already} already there).",
    },
    # /review stats
    "review.stats.title": {"zh": "我的复习", "en": "My review"},
    "review.stats.cards": {"zh": "卡片", "en": "Cards"},
    "review.stats.cards_value": {
        "zh": "共 {total} 张：新 {new} · 学习中 {learning} · 复习中 {reviewing}",
        "en": "{total} in all: {new} new · {learning} learning · {reviewing} in review",
    },
    "review.stats.due": {"zh": "到期", "en": "Due"},
    "review.stats.due_value": {
        "zh": "现在 {now} · 今天 {today} · 之后 7 天 {week}", "en": "now {now} · today {today} · next 7 days {week}",
    },
    "review.stats.week": {"zh": "未来 7 天", "en": "Next 7 days"},
    "review.stats.retention": {"zh": "记住率（近 30 天）", "en": "Retention (last 30 days)"},
    "review.stats.retention_value": {"zh": "{percent}，共 {count} 次评分", "en": "{percent} over "
          "{count:|rating|ratings}"},
    "review.stats.recall": {"zh": "预计当前记得", "en": "Predicted recall now"},
    "review.stats.topics": {"zh": "按主题", "en": "By topic"},
    "review.stats.topic_line": {"zh": "{topic}：{cards} 张（{due} 张到期）", "en": "{topic}: {cards} ({due} due)"},
    "review.stats.next_due": {"zh": "下一张到期", "en": "Next card due"},
    "review.stats.reminder": {"zh": "每日提醒", "en": "Daily reminder"},
    "review.stats.reminder_on": {"zh": "每天 {time}（{zone}）私信", "en": "a DM at {time} ({zone})"},
    "review.stats.reminder_off": {"zh": "未开启（/review remind on）", "en": "off (/review remind on)"},
    "review.stats.reminder_paused": {
        "zh": "已暂停：私信发送失败（/review remind on 重新开启）",
        "en": "paused: a DM could not be delivered (/review remind on to resume)",
    },
    "review.stats.footer": {"zh": "时间均为 {zone} 时区", "en": "Times in {zone}"},
    # /review remind
    "review.remind.on": {
        "zh": "已设置每日复习提醒：每天 {time}（{zone}），有到期卡片时私信你。下一次：{next}。",
        "en": "Daily review reminder set: {time} ({zone}), a DM when cards are due. Next: {next}.",
    },
    "review.remind.off": {"zh": "已关闭每日复习提醒。", "en": "Daily review reminders are off."},
    "review.remind.was_off": {"zh": "你没有开启每日复习提醒。", "en": "You had no daily review reminder."},
    "review.reminder.title": {"zh": "复习时间到了", "en": "Time to review"},
    "review.reminder.body": {
        "zh": "到期待复习的卡片：{count} 张。点下面的按钮开始（只有你看得到）。",
        "en": "Cards due for review: {count}. Press the button to start (only you see the session).",
    },
    "review.reminder.footer": {
        "zh": "用 /review remind off 可随时关闭提醒", "en": "Turn reminders off any time with /review remind off",
    },
    "review.dm_closed": {
        "zh": "{date} 我没能私信你复习提醒（你的私信似乎已关闭）。提醒已暂停：允许服务器成员私信后，"
              "再运行 /review remind on；或用 /review remind off 关闭。",
        "en": "I could not DM you your review reminder on {date} (your DMs seem closed). Reminders are paused: "
              "allow DMs from server members, then run /review remind on again, or /review remind off.",
    },
}
