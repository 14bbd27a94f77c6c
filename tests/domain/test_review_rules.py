"""Review rules: grade → rating, FSRS through the library, review order, regrades, retention, forecasts, reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Rating, Scheduler, State

from bot.domain.errors import DomainError
from bot.domain.review import (
    CardState,
    PastRating,
    check_zone,
    forecast,
    is_regrade,
    most_forgotten_first,
    new_card,
    next_reminder,
    parse_remind_time,
    rating_for_grade,
    rating_named,
    reminder_day,
    retention,
    retrievability,
    review,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


LIBRARY = Scheduler(enable_fuzzing=False)


@pytest.mark.parametrize(("grade", "correct", "expected"), [
    ("missed", None, Rating.Again), ("partly", None, Rating.Hard), ("got", None, Rating.Good),
    (None, True, Rating.Good), (None, False, Rating.Again), (None, None, None),
    ("got", False, Rating.Good),  # a self-grade wins over an automatic verdict
])
def test_grades_map_to_ratings(grade: str | None, correct: bool | None, expected: Rating | None) -> None:
    assert rating_for_grade(grade, correct) == expected


def test_unknown_grades_and_rating_names_are_domain_errors() -> None:
    with pytest.raises(DomainError):
        rating_for_grade("perfect", None)
    with pytest.raises(DomainError):
        rating_named("meh")
    assert rating_named("easy") is Rating.Easy


def test_a_new_card_is_due_at_once_and_never_rated() -> None:
    card = new_card(at("2026-11-30T01:00:00"))
    assert card.is_new and card.due == at("2026-11-30T01:00:00")
    assert card.state == State.Learning and card.step == 0 and card.stability is None
    assert retrievability(card, at("2026-12-30T00:00:00")) == 0


def test_every_rating_schedules_exactly_as_the_library_does() -> None:
    start = at("2026-11-30T01:00:00")
    ours = new_card(start)
    theirs = Card(card_id=7, due=start)
    moment = start
    for rating in [Rating.Good, Rating.Good, Rating.Again, Rating.Hard, Rating.Good, Rating.Easy]:
        ours = review(ours, rating, moment, card_id=7)
        theirs, _log = LIBRARY.review_card(theirs, rating, review_datetime=moment)
        assert ours == CardState.from_fsrs(theirs)
        assert ours.due == theirs.due and ours.last_review == moment
        moment = theirs.due + timedelta(hours=3)
    assert ours.state == State.Review and ours.due - ours.last_review >= timedelta(days=1)


def test_review_takes_any_aware_time_and_refuses_naive_ones() -> None:
    shanghai = datetime(2026, 11, 30, 9, 0, tzinfo=UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    card = review(new_card(shanghai), Rating.Good, shanghai)
    assert card.last_review == at("2026-11-30T09:00:00") and card.last_review.tzinfo is UTC
    with pytest.raises(ValueError, match="naive"):
        review(card, Rating.Good, datetime(2026, 11, 30, 9, 0))


def test_the_library_json_round_trips_a_card() -> None:
    card = review(new_card(at("2026-11-30T01:00:00")), Rating.Hard, at("2026-11-30T01:00:00"))
    assert CardState.from_json(card.to_json(12)) == card
    assert Card.from_json(card.to_json(12)).card_id == 12


def test_most_forgotten_first_puts_new_and_long_unseen_cards_first() -> None:
    now = at("2026-12-30T00:00:00")
    fresh = new_card(at("2026-12-29T00:00:00"))
    learned = review(review(new_card(at("2026-12-01T00:00:00")), Rating.Good, at("2026-12-01T00:00:00")),
                     Rating.Good, at("2026-12-01T00:10:00"))
    recent = review(review(new_card(at("2026-12-20T00:00:00")), Rating.Good, at("2026-12-20T00:00:00")),
                    Rating.Good, at("2026-12-20T00:10:00"))
    ordered = sorted([recent, fresh, learned], key=lambda card: most_forgotten_first(card, now))
    assert ordered == [fresh, learned, recent]
    assert 0 < retrievability(learned, now) < retrievability(recent, now) < 1


def test_a_changed_daily_self_grade_is_a_regrade_only_from_the_same_place_soon_after() -> None:
    graded = PastRating("qotd", 100, True, at("2026-11-30T13:00:00"))
    assert is_regrade(graded, "qotd", 100, at("2026-11-30T13:05:00"))
    assert is_regrade(graded, "qotd", 100, at("2026-12-07T13:00:00"))
    assert not is_regrade(graded, "qotd", 100, at("2026-12-07T13:00:01"))  # a week later: a new recall
    assert not is_regrade(graded, "quiz", 100, at("2026-11-30T13:05:00"))
    assert not is_regrade(graded, "qotd", 200, at("2026-11-30T13:05:00"))
    assert not is_regrade(PastRating("session", 100, False, at("2026-11-30T13:00:00")), "qotd", 100,
                          at("2026-11-30T13:05:00"))
    assert not is_regrade(PastRating("quiz", 100, False, at("2026-11-30T13:00:00")), "quiz", 100,
                          at("2026-11-30T13:05:00"))  # an automatic verdict is never taken back
    assert not is_regrade(None, "qotd", 100, at("2026-11-30T13:05:00"))
    # Quizzes and practice take one grade per answer: a second self-grade there is a new recall.
    assert not is_regrade(PastRating("quiz", 100, True, at("2026-11-30T13:00:00")), "quiz", 100,
                          at("2026-11-30T13:05:00"))


def test_retention_is_the_share_of_ratings_that_were_not_again() -> None:
    assert retention([]) is None
    assert retention([Rating.Again, Rating.Hard, Rating.Good, Rating.Easy]) == 0.75
    assert retention([1, 1]) == 0


def test_forecast_counts_local_days_of_the_members_zone() -> None:
    now = at("2026-11-30T15:00:00")  # 23:00 in Shanghai, 16:00 in Berlin
    dues = [at("2026-11-29T00:00:00"), now, at("2026-11-30T15:30:00"), at("2026-11-30T16:30:00"),
            at("2026-12-06T12:00:00"), at("2026-12-08T00:00:00"), at("2027-01-01T00:00:00")]
    shanghai = forecast(dues, now, "Asia/Shanghai")
    assert (shanghai.now, shanghai.today) == (2, 3)  # 00:30 the next local day is tomorrow in Shanghai
    assert dict(shanghai.days)[date(2026, 12, 1)] == 1 and shanghai.next_7_days == 2  # 12-08 is past the week
    berlin = forecast(dues, now, "Europe/Berlin")
    assert (berlin.now, berlin.today) == (2, 4)
    assert [day for day, _ in berlin.days] == [date(2026, 12, n) for n in range(1, 8)]
    assert berlin.next_7_days == 1  # 12-08 01:00 Berlin is the 8th day after today


def test_reminder_times_parse_and_zones_are_checked() -> None:
    assert parse_remind_time(" 9:05 ") == time(9, 5)
    for bad in ("9am", "25:00", "12", ""):
        with pytest.raises(DomainError) as caught:
            parse_remind_time(bad)
        assert caught.value.key == "review.bad_time"
    assert check_zone("Europe/Berlin") == "Europe/Berlin"
    with pytest.raises(DomainError) as caught:
        check_zone("Mars/Base")
    assert caught.value.key == "review.bad_timezone"


def test_the_reminder_day_comes_at_the_local_time_even_across_dst() -> None:
    nine = time(9, 0)
    assert reminder_day(nine, "Asia/Shanghai", at("2026-11-30T00:59:59")) is None
    assert reminder_day(nine, "Asia/Shanghai", at("2026-11-30T01:00:00")) == date(2026, 11, 30)
    assert reminder_day(nine, "Asia/Shanghai", at("2026-11-30T15:59:00")) == date(2026, 11, 30)
    assert reminder_day(nine, "Asia/Shanghai", at("2026-11-30T16:00:00")) is None  # 00:00 on Dec 1st
    # Berlin springs forward on 2026-03-29: 09:00 is 07:00 UTC that day, 08:00 UTC the day before.
    assert next_reminder(nine, "Europe/Berlin", at("2026-03-28T08:00:01")) == at("2026-03-29T07:00:00")
    assert next_reminder(nine, "Europe/Berlin", at("2026-03-28T07:00:00")) == at("2026-03-28T08:00:00")
    # 02:30 does not exist that night: the end of the gap.
    assert next_reminder(time(2, 30), "Europe/Berlin", at("2026-03-29T00:00:00")) == at("2026-03-29T01:00:00")
    claimed = [date(2026, 3, 28)]
    assert next_reminder(nine, "Europe/Berlin", at("2026-03-28T07:00:00"), claimed) == at("2026-03-29T07:00:00")
