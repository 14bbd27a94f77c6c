"""Messages of the question of the day: set-up, the post, answers, the reveal, reports to admins."""

MESSAGES: dict[str, dict[str, str]] = {
    "qotd.bad_schedule": {"zh": "这个日程设置不对：{reason}", "en": "That schedule does not work: {reason}"},
    "qotd.unknown_topics": {"zh": "题库里没有这些主题：{topics}", "en": "The bank has no such topics: {topics}"},
    "qotd.bad_difficulty": {
        "zh": "最低难度不能高于最高难度。", "en": "The lowest difficulty cannot be above the highest.",
    },
    "qotd.no_eligible_questions": {
        "zh": "按这些主题和难度，题库里没有可用的题目。",
        "en": "No question in the bank matches those topics and difficulties.",
    },
    "qotd.no_schedule": {
        "zh": "这个频道还没有每日一题。先用 /qotd setup 设置。",
        "en": "This channel has no daily question yet. Set one up with /qotd setup.",
    },
    "qotd.already_posted": {"zh": "今天这个频道已经发过题了。", "en": "Today's question is already posted here."},
    "qotd.nothing_to_skip": {
        "zh": "今天还没有可以替换的题目。", "en": "There is no question posted today to replace.",
    },
    "qotd.skip_has_answers": {
        "zh": "已经有人作答，不能替换今天的题目。", "en": "Members have already answered; today's question stays.",
    },
    "qotd.bad_time": {
        "zh": "时间 `{value}` 看不懂，请用 24 小时制，例如 09:00。",
        "en": "I cannot read the time `{value}`; use 24-hour HH:MM such as 09:00.",
    },
    "qotd.bad_reveal": {
        "zh": "揭晓设置 `{value}` 看不懂：写一个时间（21:00）或发题后的间隔（90m、8h、1h30m，最长 24h）。",
        "en": "I cannot read the reveal `{value}`: give a time (21:00) or a delay after the post "
              "(90m, 8h, 1h30m; at most 24h).",
    },
    "qotd.missing_permissions": {
        "zh": "我在 {channel} 缺少这些权限：{permissions}。授予后再运行 /qotd setup。",
        "en": "I am missing these permissions in {channel}: {permissions}. Grant them, then run /qotd setup again.",
    },
    "qotd.saved": {
        "zh": "已设置 {channel} 的每日一题：每天 {post_time}（{timezone}）发题，{reveal}揭晓。"
              "下一次发题：{next_post}。",
        "en": "Daily question set for {channel}: posted at {post_time} ({timezone}), revealed {reveal}. "
              "Next post: {next_post}.",
    },
    "qotd.reveal_at_time": {"zh": "{time} ", "en": "at {time}"},
    "qotd.action.post": {"zh": "发题", "en": "post"},
    "qotd.action.reveal": {"zh": "揭晓", "en": "reveal"},
    "qotd.reveal_after": {"zh": "发题 {minutes} 分钟后", "en": "{minutes:|minute|minutes} after the post"},
    "qotd.paused": {"zh": "{channel} 的每日一题已暂停。", "en": "The daily question in {channel} is paused."},
    "qotd.resumed": {"zh": "{channel} 的每日一题已恢复。", "en": "The daily question in {channel} is running again."},
    "qotd.language_set": {
        "zh": "服务器语言已设为{language}：测验等所有人都看到的消息用这种语言"
              "（各人的私密回复仍按各自的 Discord 语言）。",
        "en": "The server language is now {language}: quizzes and other messages everyone sees use it (private "
              "replies still follow each member's Discord language).",
    },
    "qotd.bad_language": {"zh": "语言只能是 zh 或 en。", "en": "The language is zh or en."},
    "language.zh": {"zh": "中文", "en": "Chinese"},
    "language.en": {"zh": "英文", "en": "English"},
    "qotd.timezone_set": {
        "zh": "服务器时区现在是 **{timezone}**：积分榜、周报和测验积分按它计日。",
        "en": "The server time zone is now **{timezone}**: boards, recaps and quiz points count days in it.",
    },
    "qotd.bad_timezone": {
        "zh": "不认识时区 `{timezone}`，请用 IANA 名称，例如 Asia/Shanghai。",
        "en": "Unknown time zone `{timezone}`; use an IANA name such as Asia/Shanghai.",
    },
    "qotd.posted_now": {"zh": "已发出今天的题目。", "en": "Today's question is posted."},
    "qotd.skipped": {"zh": "已替换今天的题目。", "en": "Today's question was replaced."},
    "qotd.status.title": {"zh": "每日一题设置", "en": "Daily question settings"},
    "qotd.status.none": {
        "zh": "这个服务器还没有每日一题。用 /qotd setup 设置。",
        "en": "This server has no daily question yet. Set one up with /qotd setup.",
    },
    "qotd.status.line": {
        "zh": "{state} · 每天 {post_time}（{timezone}）· 揭晓：{reveal} · 主题：{topics} · 难度 {low}–{high}\n"
              "下次发题 {next_post} · 下次揭晓 {next_reveal}",
        "en": "{state} · daily at {post_time} ({timezone}) · reveal: {reveal} · topics: {topics} · "
              "difficulty {low}–{high}\nnext post {next_post} · next reveal {next_reveal}",
    },
    "qotd.status.running": {"zh": "运行中", "en": "running"},
    "qotd.status.paused": {"zh": "已暂停", "en": "paused"},
    "qotd.status.all_topics": {"zh": "全部", "en": "all"},
    # -- question of the day: the post and answers -------------------------------------------------------------
    "qotd.post.title": {"zh": "每日一题 · {date}", "en": "Question of the day · {date}"},
    "qotd.post.footer": {
        "zh": "点「作答」提交你的答案；揭晓前别人都看不到。",
        "en": "Press Answer to submit; nobody else sees answers before the reveal.",
    },
    "qotd.post.reveal": {"zh": "揭晓", "en": "Reveal"},
    "qotd.post.confidence": {
        "zh": "用表情标记把握：🟢 会 · 🟡 不确定 · 🔴 不会",
        "en": "React with your confidence: 🟢 know it · 🟡 unsure · 🔴 no idea",
    },
    "qotd.button.answer": {"zh": "作答", "en": "Answer"},
    "qotd.button.mine": {"zh": "我的答案", "en": "My answer"},
    "qotd.modal.title": {"zh": "你的答案", "en": "Your answer"},
    "qotd.modal.label": {"zh": "答案（揭晓前仅你可见）", "en": "Answer (only you see it until the reveal)"},
    "qotd.modal.placeholder": {
        "zh": "像面试时那样回答：要点、原理、取舍……",
        "en": "Answer as you would in an interview: key points, how it works, trade-offs...",
    },
    "answer.empty": {
        "zh": "答案是空的，没有保存。写点什么再提交吧。", "en": "That answer is empty, so nothing was saved.",
    },
    "answer.too_long": {
        "zh": "答案有 {length} 个字符，超过上限 {limit}。请精简后再提交（没有保存；原文附在下面）。",
        "en": "Your answer has {length:|character|characters}, over the limit of {limit}. "
              "Please shorten it (nothing was saved; your text is below).",
    },
    "answer.no_post": {"zh": "这道题已经不在了。", "en": "That question is no longer available."},
    "answer.locked": {
        "zh": "答案已经揭晓，不能再修改了。", "en": "The answers have been revealed; yours can no longer change.",
    },
    "answer.saved": {
        "zh": "已保存你的答案（{length} 字）。揭晓前可以随时修改，别人看不到。",
        "en": "Your answer is saved ({length:|character|characters}). You can edit it until the "
              "reveal; nobody else sees it.",
    },
    "answer.updated": {
        "zh": "已更新你的答案（{length} 字）。", "en": "Your answer is updated ({length:|character|characters}).",
    },
    "answer.saved_late": {
        "zh": "已收到你的补答（揭晓后提交，计补答分）。要点覆盖：{covered}/{total}。",
        "en": "Your late answer is saved (after the reveal, late points only). Key points covered: {covered}/{total}.",
    },
    "answer.none_yet": {"zh": "你还没有作答。", "en": "You have not answered yet."},
    "answer.yours": {"zh": "你的答案", "en": "Your answer"},
    # -- question of the day: the reveal ---------------------------------------------------------------------
    "qotd.reveal.title": {"zh": "参考答案 · {date}", "en": "Reference answer · {date}"},
    "qotd.reveal.key_points": {"zh": "要点", "en": "Key points"},
    "qotd.reveal.figures": {"zh": "今日数据", "en": "Today's figures"},
    "qotd.reveal.answered": {"zh": "{count} 人作答", "en": "{count} answered"},
    "qotd.reveal.no_reactions": {"zh": "没有人标记把握", "en": "no confidence reactions"},
    "qotd.reveal.thread_name": {"zh": "大家的答案 · {date}", "en": "Answers · {date}"},
    "qotd.reveal.member_answer": {
        "zh": "{name} 的答案 · 要点 {covered}/{total} · +{points} 分",
        "en": "{name}'s answer · key points {covered}/{total} · +{points:|point|points}",
    },
    "qotd.reveal.late": {"zh": "（补答）", "en": " (late)"},
    "qotd.reveal.covered": {"zh": "覆盖", "en": "Covered"},
    "qotd.reveal.missed": {"zh": "未提到", "en": "Missed"},
    "qotd.reveal.vote_hint": {
        "zh": "觉得哪个答案好，就点它下面带名字的 👍 按钮（不能给自己点）。",
        "en": "Press the 👍 button with a member's name under an answer you found good (not your own).",
    },
    "qotd.reveal.no_answers": {"zh": "今天没有人作答。", "en": "Nobody answered today."},
    "qotd.reveal.grade_prompt": {
        "zh": "对照参考答案给自己打个分（会进入你的复习计划）：",
        "en": "Grade yourself against the reference (it feeds your review schedule):",
    },
    "qotd.reveal.leaderboard": {"zh": "积分榜", "en": "Leaderboard"},
    "qotd.reveal.standing": {
        "zh": "{rank}. {name} — {points} 分 · 连续 {streak} 天",
        "en": "{rank}. {name} — {points:|pt|pts} · {streak}-day streak",
    },
    "grade.got": {"zh": "会了", "en": "Got it"},
    "grade.partly": {"zh": "部分", "en": "Partly"},
    "grade.missed": {"zh": "没答上", "en": "Missed"},
    "vote.counted": {
        "zh": "已为 {name} 的答案点 👍（现在共 {votes} 个）。",
        "en": "Your 👍 for {name}'s answer is counted ({votes:|vote|votes} now).",
    },
    "vote.already": {
        "zh": "你已经为 {name} 的答案点过 👍（共 {votes} 个）。要撤回吗？",
        "en": "You already gave {name}'s answer a 👍 ({votes:|vote|votes}). Take it back?",
    },
    "vote.removed": {
        "zh": "已撤回你给 {name} 的 👍（现在共 {votes} 个）。",
        "en": "Your 👍 for {name}'s answer is taken back ({votes:|vote|votes} now).",
    },
    "vote.not_given": {"zh": "你没有给 {name} 的答案点过 👍。", "en": "You had not given {name}'s answer a 👍."},
    "vote.own": {"zh": "不能给自己的答案点 👍。", "en": "You cannot vote for your own answer."},
    "vote.gone": {"zh": "这个答案已经不在了。", "en": "That answer is no longer there."},
    "vote.take_back": {"zh": "撤回 👍", "en": "Take back my 👍"},
    "grade.saved": {"zh": "已记录自评：{grade}。", "en": "Self-grade saved: {grade}."},
    "grade.unknown": {"zh": "未知的自评。", "en": "Unknown self-grade."},
    "grade.no_answer": {
        "zh": "你今天没有作答，无法自评。可以点「作答」补答。",
        "en": "You did not answer this one, so there is nothing to grade. Press Answer to answer late.",
    },
    "report.forbidden": {
        "zh": "我无法在 {channel} 发每日一题（{action}）：缺少权限 {permissions}。授予后可用 /qotd now 补发。",
        "en": "I could not {action} the daily question in {channel}: missing permissions {permissions}. "
              "Once they are granted, /qotd now posts today's question.",
    },
    "report.channel_gone": {
        "zh": "每日一题频道 {channel} 已不存在，这个日程已暂停。",
        "en": "The daily question channel {channel} no longer exists; its schedule is paused.",
    },
    "report.claim_failed": {
        "zh": "今天无法在 {channel} 发每日一题：{reason} 请用 /qotd setup 调整主题或难度。",
        "en": "Today's question could not be posted in {channel}: {reason} Adjust its topics or difficulty "
              "with /qotd setup.",
    },
    "qotd.post_failed": {
        "zh": "没能在 {channel} 发出题目：Discord 拒绝了（原因已发给服务器管理员）。",
        "en": "The question could not be posted in {channel}: Discord refused it (the server's admins got the reason).",
    },
    "answer.revealing": {
        "zh": "正在揭晓答案，这时不能再提交或修改。揭晓完成后可以作为补答再提交（你的原文附在下面）。",
        "en": "The answer is being revealed, so answers are closed for a moment. Once it is revealed you can send "
              "yours as a late answer (your text is below).",
    },
    "answer.question_changed": {
        "zh": "这道题已被替换成新题，你的答案没有保存（原文附在下面）。请重新点「作答」。",
        "en": "This question was replaced by a new one, so your answer was not saved (your text is below). "
              "Press Answer again.",
    },
}
