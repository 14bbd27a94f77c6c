"""Messages of topic quizzes in a channel (`quiz.*`) and of solo practice (`practice.*`)."""

MESSAGES: dict[str, dict[str, str]] = {
    # -- starting and stopping ---------------------------------------------------------------------------------
    "quiz.started": {
        "zh": "测验开始 · {topic}：{count} 题（{kind}），每题 {seconds} 秒。",
        "en": "Quiz on {topic}: {count} × {kind}, {seconds} s per question.",
    },
    "quiz.kind.choice": {"zh": "选择题", "en": "multiple choice"},
    "quiz.kind.open": {"zh": "开放题", "en": "open"},
    "quiz.kind.mixed": {"zh": "选择题与开放题", "en": "mixed choice and open"},
    "quiz.topic.mixed": {"zh": "全部主题（混合）", "en": "every topic (mixed)"},
    "quiz.stopped": {"zh": "测验已停止，结果已发出。", "en": "The quiz is stopped; its results are posted."},
    "quiz.already_running": {
        "zh": "这个频道已经有一个测验在进行，等它结束（或由发起人 /quiz stop）再开始新的。",
        "en": "A quiz is already running in this channel. Wait for it to end (or its starter can /quiz stop).",
    },
    "quiz.none": {"zh": "这个频道现在没有进行中的测验。", "en": "There is no quiz running in this channel."},
    "quiz.not_yours": {
        "zh": "只有发起测验的人或有「管理消息」权限的成员可以停止它。",
        "en": "Only the member who started this quiz, or a member with Manage Messages, can stop it.",
    },
    "quiz.no_questions": {
        "zh": "这个主题没有可用于这种题型的题目，换个主题或题型试试。",
        "en": "This topic has no questions of that kind; try another topic or kind.",
    },
    "quiz.unknown_topic": {
        "zh": "题库里没有主题 `{topic}`，请从自动补全里选。",
        "en": "The bank has no topic `{topic}`; pick one from the suggestions.",
    },
    "quiz.bad_kind": {"zh": "题型只能是 choice、open 或 mixed。", "en": "The kind must be choice, open or mixed."},
    "quiz.bad_count": {"zh": "题数要在 1 到 {high} 之间。", "en": "The number of questions must be 1 to {high}."},
    "quiz.bad_seconds": {
        "zh": "每题时间要在 {low} 到 {high} 秒之间。", "en": "Seconds per question must be {low} to {high}.",
    },
    "quiz.missing_permissions": {
        "zh": "我在这个频道缺少这些权限，无法出题：{permissions}。",
        "en": "I am missing these permissions in this channel, so I cannot run a quiz: {permissions}.",
    },
    "quiz.error": {"zh": "测验出了点问题。", "en": "Something is off with this quiz."},
    # -- a question --------------------------------------------------------------------------------------------
    "quiz.question.title": {"zh": "第 {number}/{total} 题 · {topic}", "en": "Question {number}/{total} · {topic}"},
    "quiz.question.choice_hint": {
        "zh": "选出正确的一项。第一次点选即为最终答案，不能更改；越快答对加分越多。",
        "en": "Pick the one correct option. Your first pick is final; the faster a right pick, the more points.",
    },
    "quiz.question.open_hint": {
        "zh": "点「作答」写下你的答案，截止前可修改；截止后公布参考答案和要点覆盖。",
        "en": "Press Answer to write yours; you can edit it until the close. Then the reference and your "
              "key-point coverage are shown.",
    },
    "quiz.question.closes": {"zh": "截止", "en": "Closes"},
    "quiz.button.answer": {"zh": "作答", "en": "Answer"},
    "quiz.modal.title": {"zh": "第 {number} 题 · 你的答案", "en": "Question {number} · your answer"},
    "quiz.modal.label": {"zh": "答案（截止前仅你可见）", "en": "Answer (only you see it until the close)"},
    # -- answering ---------------------------------------------------------------------------------------------
    "quiz.picked": {
        "zh": "已记录你的选择：**{option}**。截止后公布答案。",
        "en": "Your pick is in: **{option}**. The answer shows when the question closes.",
    },
    "quiz.already_answered": {
        "zh": "你已经选了 **{option}**，第一次的选择才算数。",
        "en": "You already picked **{option}**; your first pick is the one that counts.",
    },
    "quiz.question_closed": {
        "zh": "这道题已经截止了，答案不再计入。", "en": "This question is closed; answers no longer count.",
    },
    "quiz.answer_empty": {"zh": "答案是空的，没有保存。", "en": "That answer is empty, so nothing was saved."},
    "quiz.answer_too_long": {
        "zh": "答案有 {length} 个字符，超过上限 {limit}，没有保存（原文附在下面）。",
        "en": "Your answer has {length:|character|characters}, over the limit of {limit}; nothing "
              "was saved (your text is "
              "below).",
    },
    "quiz.answer_saved": {
        "zh": "已保存你的答案（{length} 字），截止前可以修改。",
        "en": "Your answer is saved ({length:|character|characters}); you can edit it until the close.",
    },
    "quiz.answer_updated": {
        "zh": "已更新你的答案（{length} 字）。", "en": "Your answer is updated ({length:|character|characters}).",
    },
    "quiz.graded": {"zh": "已记录自评：{grade}（+{points} 分）。", "en": "Self-grade saved: {grade} (+{points})."},
    "quiz.bad_grade": {"zh": "未知的自评。", "en": "Unknown self-grade."},
    "quiz.grade_no_answer": {
        "zh": "你没有回答这道题，无法自评。", "en": "You did not answer this question, so there is nothing to grade.",
    },
    "quiz.already_graded": {"zh": "这道题你已经自评过了。", "en": "You already graded yourself on this question."},
    "quiz.grade_too_early": {"zh": "题目截止后才能自评。", "en": "You can grade yourself once the question closes."},
    "quiz.grading_over": {
        "zh": "测验已经结束，不能再自评了。", "en": "The quiz is over; self-grades are no longer taken.",
    },
    # -- the reveal --------------------------------------------------------------------------------------------
    "quiz.reveal.title": {"zh": "答案 · 第 {number}/{total} 题", "en": "Answer · question {number}/{total}"},
    "quiz.reveal.picks": {"zh": "各选项人数", "en": "Picks per option"},
    "quiz.reveal.right": {"zh": "答对（按速度）", "en": "Right (fastest first)"},
    "quiz.reveal.nobody_right": {"zh": "没有人答对。", "en": "Nobody got it right."},
    "quiz.reveal.key_points": {"zh": "要点", "en": "Key points"},
    "quiz.reveal.answers": {"zh": "{count} 人作答 · 要点覆盖", "en": "{count} answered · key-point coverage"},
    "quiz.reveal.coverage_line": {
        "zh": "{name}：要点 {covered}/{total} · +{points} 分",
        "en": "{name}: key points {covered}/{total} · +{points}",
    },
    "quiz.reveal.no_answers": {"zh": "没有人作答。", "en": "Nobody answered."},
    "quiz.reveal.grade_prompt": {
        "zh": "作答的人：对照参考答案给自己打个分（测验结束前有效）。",
        "en": "If you answered, grade yourself against the reference (until the quiz ends).",
    },
    # -- the results -------------------------------------------------------------------------------------------
    "quiz.summary.title": {"zh": "测验结果", "en": "Quiz results"},
    "quiz.summary.title_stopped": {"zh": "测验结果（{name} 提前停止）", "en": "Quiz results (stopped by {name})"},
    "quiz.summary.title_abandoned": {
        "zh": "测验结果（机器人离线过久，测验提前结束）",
        "en": "Quiz results (ended early: the bot was offline too long)",
    },
    "quiz.summary.line": {
        "zh": "{rank}. {name} — {points} 分（{answered} 题中答对 {right} 题）",
        "en": "{rank}. {name} — {points:|pt|pts} ({right}/{answered} right)",
    },
    "quiz.summary.nobody": {"zh": "没有人作答。", "en": "Nobody answered."},
    "quiz.summary.most_missed": {"zh": "错得最多的题", "en": "Most missed"},
    "quiz.summary.missed_line": {
        "zh": "第 {number} 题 · {prompt} — {missed}/{answered} 人没答上",
        "en": "Q{number} · {prompt} — {missed}/{answered} missed",
    },
    "quiz.summary.none_missed": {"zh": "没有人答错。", "en": "Nobody missed a question."},
    "quiz.summary.footer": {
        "zh": "共出 {asked}/{total} 题 · 积分计入服务器积分榜（测验）",
        "en": "{asked}/{total} questions asked · points go to the server's boards (quizzes)",
    },
    # -- solo practice -----------------------------------------------------------------------------------------
    "practice.card.title": {"zh": "练习 {number}/{total} · {topic}", "en": "Practice {number}/{total} · {topic}"},
    "practice.button.show": {"zh": "显示答案", "en": "Show answer"},
    "practice.grade_prompt": {
        "zh": "对照参考答案，你答得怎么样？", "en": "How did you do against the reference?",
    },
    "practice.result.title": {"zh": "练习完成", "en": "Practice done"},
    "practice.result.body": {"zh": "共 {total} 张卡片：{counts}", "en": "{total:|card|cards}: {counts}"},
    "practice.not_yours": {"zh": "这是别人的练习。", "en": "This is someone else's practice."},
    "practice.card_done": {
        "zh": "这张卡片已经完成了，请继续最新的一张。", "en": "This card is done; carry on with the latest one.",
    },
    "practice.show_first": {"zh": "先点「显示答案」再自评。", "en": "Show the answer before grading yourself."},
    "practice.no_questions": {
        "zh": "这个主题没有带参考答案的题目。", "en": "This topic has no questions with answers.",
    },
    "practice.bad_grade": {"zh": "未知的自评。", "en": "Unknown self-grade."},
    "practice.error": {"zh": "练习出了点问题。", "en": "Something is off with this practice."},
}
