"""Messages shared by every feature: help, errors, difficulty labels."""

MESSAGES: dict[str, dict[str, str]] = {
    "help.title": {"zh": "学习小组机器人", "en": "Study group bot"},
    "help.description": {
        "zh": "每天一道大模型 / 机器学习面试题：先独立作答，到点揭晓参考答案与要点，积分、连续打卡与排行榜。",
        "en": "A daily LLM / machine-learning interview question: answer on your own, then the reference "
              "answer and key points are revealed at the set time, with points, streaks and leaderboards.",
    },
    "help.bank": {
        "zh": "题库：{topics} 个主题，{questions} 道题。",
        "en": "Question bank: {topics:|topic|topics}, {questions:|question|questions}.",
    },
    "help.commands": {"zh": "可用命令", "en": "Commands"},
    "help.footer": {"zh": "题目 ID 可用于 /question show", "en": "Question ids work with /question show"},
    "question.not_found": {
        "zh": "找不到题目 `{question_id}`。",
        "en": "No question with id `{question_id}`.",
    },
    "question.topic": {"zh": "主题", "en": "Topic"},
    "question.difficulty": {"zh": "难度", "en": "Difficulty"},
    "question.no_answer": {"zh": "这道题还没有参考答案。", "en": "This question has no reference answer yet."},
    "error.generic": {
        "zh": "出了点问题，已记录。请稍后再试。",
        "en": "Something went wrong and it has been logged. Please try again later.",
    },
    "error.missing_permissions": {
        "zh": "我在 {channel} 缺少这些权限：{permissions}。请服务器管理员授予后再试。",
        "en": "I am missing these permissions in {channel}: {permissions}. Ask a server admin to grant them.",
    },
    "error.cooldown": {
        "zh": "操作太快了，请 {seconds} 秒后再试。",
        "en": "Slow down a little: try again in {seconds} s.",
    },
    "error.guild_only": {"zh": "这个命令只能在服务器里使用。", "en": "This command only works in a server."},
    "error.not_allowed": {
        "zh": "你没有权限使用这个命令（需要：{permissions}）。",
        "en": "You are not allowed to use this command (needs: {permissions}).",
    },
    "difficulty.1": {"zh": "简单", "en": "Easy"},
    "difficulty.2": {"zh": "中等", "en": "Medium"},
    "difficulty.3": {"zh": "困难", "en": "Hard"},
    "question.withheld_quiz": {
        "zh": "这道题正在 {channel} 的测验中，等测验揭晓后再来看参考答案吧。",
        "en": "This question is in the running quiz in {channel}; its reference answer shows once the quiz reveals it.",
    },
    "question.not_yet": {
        "zh": "这是 {channel} 今天的题目，参考答案将在 {reveal} 揭晓。先自己作答吧！",
        "en": "This is today's question in {channel}; its reference answer is revealed {reveal}. Answer it first!",
    },
}
