# The study bot in a container: slim Python, a non-root user, the data in a volume at /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_PATH=/data/bot.sqlite3 \
    BANK_DIR=/app/questions \
    MIGRATIONS_DIR=/app/migrations

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY questions ./questions
COPY migrations ./migrations
RUN pip install . \
    && useradd --system --create-home --uid 10001 studybot \
    && mkdir -p /data && chown studybot:studybot /data

USER studybot
# The charts' Chinese font (Noto Sans CJK, installed with the project from the noto-cjk-sans-otc package) must be
# there for matplotlib: the build fails otherwise. This also builds matplotlib's font cache for the bot's user.
RUN python -m bot.chat.stats.style
VOLUME ["/data"]

# Healthy when the database answers and each shard this container runs (SHARD_IDS; else the whole bot) wrote
# its heartbeat recently, which it does while connected to Discord.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 CMD ["python", "-m", "bot", "health"]
CMD ["python", "-m", "bot", "run"]
