"""Rule violations the double caught, and how a test declares the ones it provokes on purpose.

The `discord_double` fixture fails the test at teardown if any violation is left unclaimed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """`rule` is a limit name (`content.length`), `schema`, or `interaction.*` / `harness.*`."""

    rule: str
    route: str
    detail: str
    request: int = 0

    def __str__(self) -> str:
        return f"[{self.rule}] {self.route}: {self.detail}"


class Violations:
    def __init__(self) -> None:
        self.recorded: list[Violation] = []

    def record(self, rule: str, route: str, detail: str, request: int = 0) -> Violation:
        violation = Violation(rule, route, detail, request)
        self.recorded.append(violation)
        return violation

    def take(self, rule: str | None = None) -> list[Violation]:
        """Remove and return the violations of `rule` (a name or a prefix like `embed.`), or all of them."""
        taken = [v for v in self.recorded if rule is None or _matches(v.rule, rule)]
        self.recorded = [v for v in self.recorded if v not in taken]
        return taken

    def claim(self, *rules: str, since: int = 0) -> tuple[list[Violation], list[str]]:
        """Remove the violations of `rules` recorded from index `since` on, with the others the same
        rejected requests caused (the OpenAPI check usually fires alongside a limit).

        Returns the claimed violations and the rules that never occurred.
        """
        fresh = self.recorded[since:]
        missing = [rule for rule in rules if not any(_matches(v.rule, rule) for v in fresh)]
        hit = [v for v in fresh if any(_matches(v.rule, rule) for rule in rules)]
        requests = {v.request for v in hit if v.request}
        claimed = [v for v in fresh if v in hit or v.request in requests]
        self.recorded = self.recorded[:since] + [v for v in fresh if v not in claimed]
        return claimed, missing

    @contextmanager
    def expect(self, *rules: str) -> Iterator[list[Violation]]:
        """The block must provoke each of `rules` at least once; those violations are claimed.

        Yields the list of claimed violations (filled when the block exits).
        """
        start = len(self.recorded)
        claimed: list[Violation] = []
        yield claimed
        seen = "\n  ".join(map(str, self.recorded[start:])) or "none"
        found, missing = self.claim(*rules, since=start)
        if missing:
            raise AssertionError(
                f"expected Discord to reject the bot for {missing}; violations seen:\n  {seen}"
            )
        claimed += found

    def report(self) -> str:
        lines = "\n  ".join(map(str, self.recorded))
        return f"the bot broke Discord's rules ({len(self.recorded)} violation(s)):\n  {lines}"


def _matches(rule: str, wanted: str) -> bool:
    return rule == wanted or (wanted.endswith(".") and rule.startswith(wanted))
