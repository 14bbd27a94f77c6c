"""The Discord adapter: the client, cogs, views, rendering, error mapping and scheduled jobs."""
