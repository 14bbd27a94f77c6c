"""The bot's services, found by their type: `services(interaction).get(QuizService)`.

Each feature's cog builds its services in `cog_load` and adds them here; views, modals and other features look
them up by class, so nothing depends on a cog's name or on attributes set on the client.
"""

from __future__ import annotations

from typing import Any, TypeVar

import discord

T = TypeVar("T")


class ServiceRegistry:
    def __init__(self) -> None:
        self._services: dict[type, Any] = {}

    def add(self, service: T) -> T:
        """Register `service` under its own class; one instance per class."""
        kind = type(service)
        if kind in self._services and self._services[kind] is not service:
            raise ValueError(f"a {kind.__name__} is already registered")
        self._services[kind] = service
        return service

    def remove(self, service: object) -> None:
        if self._services.get(type(service)) is service:
            del self._services[type(service)]

    def get(self, kind: type[T]) -> T:
        """The registered instance of `kind` (or of a subclass of it)."""
        found = self._services.get(kind)
        if found is None:
            found = next((s for s in self._services.values() if isinstance(s, kind)), None)
        if found is None:
            raise LookupError(f"no {kind.__name__} is registered: its feature's cog is not loaded")
        return found

    def all(self, kind: type[T]) -> list[T]:
        """Every registered service that is a `kind` (a class or a runtime-checkable protocol), in the order they
        were added."""
        return [service for service in self._services.values() if isinstance(service, kind)]


def services(interaction: discord.Interaction) -> ServiceRegistry:
    return interaction.client.services  # type: ignore[attr-defined, no-any-return]
