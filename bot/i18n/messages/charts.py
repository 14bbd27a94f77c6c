"""Texts drawn inside the charts: the /stats picture and the /groups picture."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "chart.weekdays": {"zh": "一,,三,,五,,日", "en": "Mon,,Wed,,Fri,,Sun"},
    "chart.months": {"zh": ",".join(f"{m}月" for m in range(1, 13)),
                     "en": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec"},
    "chart.stats.heatmap_title": {
        "zh": "每天的作答数，{first} 至 {today}：{days} 天共 {total} 次",
        "en": "Answers per day, {first} to {today}: {total:|answer|answers} on {days:|day|days}",
    },
    "chart.stats.mastery_title": {
        "zh": "各主题掌握情况：平均要点覆盖率（柱上为作答数）",
        "en": "Mastery by topic: mean key-point coverage (answers above each bar)",
    },
    "chart.stats.answers": {"zh": "{answers} 答", "en": "{answers}"},  # the title says what the number is
    "chart.coverage_axis": {"zh": "要点覆盖率（%）", "en": "key points covered (%)"},
    "chart.no_answers": {"zh": "还没有作答记录", "en": "no answers yet"},
    "chart.groups.activity_title": {
        "zh": "各小组每周的作答数（近 {weeks} 周，到 {today}）",
        "en": "Answers per week by study group (last {weeks:|week|weeks}, to {today})",
    },
    "chart.groups.week_axis": {"zh": "每周从周一算起", "en": "weeks from Monday"},
    "chart.groups.mastery_title": {
        "zh": "各小组各主题的平均要点覆盖率（格中为作答数）",
        "en": "Mean key-point coverage by group and topic (answers in each cell)",
    },
    "chart.groups.image_alt": {
        "zh": "各小组近几周的作答数与各主题的要点覆盖率",
        "en": "Answers per week of each study group and their key-point coverage by topic",
    },
}
