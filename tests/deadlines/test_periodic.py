"""The daily notices and digest run as one of the consumer's periodic tasks."""

import datetime

import pytest
from huey.contrib.djhuey import HUEY

from deadlines.models import Notice
from jobs.tasks import PERIODIC

TASK = "deadlines.services.deadlines_daily"


@pytest.fixture
def regulation(make_agreement, make_review):
    # A Huế regulation of 2021–2025 owes its 2025 review by 30 April 2026.
    agreement = make_agreement()
    make_review(agreement, year=2024)
    return agreement


def test_the_daily_deadlines_task_is_scheduled_by_the_consumer():
    assert TASK in {task.name for task in PERIODIC}
    assert TASK in {task.__name__ for task in HUEY._registry._periodic_tasks}


@pytest.mark.django_db
def test_running_it_twice_a_day_creates_each_notice_once(regulation, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 5, 2)
    )
    task = next(t for t in PERIODIC if t.name == TASK)
    task.call_local()
    created = Notice.objects.count()
    task.call_local()
    assert created == 2
    assert Notice.objects.count() == created
