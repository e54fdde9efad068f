"""The job machinery: running, progress, failures, ownership, interrupted jobs, schedules."""

import datetime
import time

import pytest
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from jobs import services
from jobs.models import Job
from jobs.services import JobError, JobResult, job_runner, job_submit
from units.models import User


@pytest.fixture
def owner(db):
    return User.objects.create_user("owner", password="x")


@pytest.fixture
def runners(monkeypatch):
    """Test-only kinds of job, registered for one test."""
    monkeypatch.setattr(services, "RUNNERS", dict(services.RUNNERS))

    @job_runner("count")
    def count(job, progress):
        for n in range(1, job.params["n"] + 1):
            progress(n, job.params["n"])
        return JobResult({"counted": job.params["n"]}, "count.txt", b"counted")

    @job_runner("refuse")
    def refuse(job, progress):
        raise JobError("Tệp thiếu cột “Số, ký hiệu”.")

    @job_runner("crash")
    def crash(job, progress):
        raise RuntimeError("secret internals")


def test_a_job_runs_to_the_end_and_keeps_its_progress_and_file(runners, owner, client):
    job = job_submit(user=owner, kind="count", title="Đếm", params={"n": 5})

    assert job.state == Job.State.DONE
    assert (job.done, job.total) == (5, 5)
    assert job.result == {"counted": 5}
    assert job.started_at <= job.finished_at
    client.force_login(owner)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"counted"
    assert 'filename="count.txt"' in download["Content-Disposition"]


def test_a_refused_job_shows_its_message(runners, owner, client):
    job = job_submit(user=owner, kind="refuse", title="Nhập")
    client.force_login(owner)

    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()

    assert job.state == Job.State.FAILED
    assert "Tệp thiếu cột “Số, ký hiệu”." in page


def test_an_unexpected_error_shows_a_plain_message_never_a_traceback(runners, owner, client):
    job = job_submit(user=owner, kind="crash", title="Báo cáo")
    client.force_login(owner)

    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()

    assert job.state == Job.State.FAILED
    assert "lỗi hệ thống" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_the_status_view_reports_the_progress_of_a_running_job(runners, owner, client):
    job = Job.objects.create(user=owner, kind="count", title="Đếm", state=Job.State.RUNNING)
    HUEY.put(services.progress_key(job.pk), (30, 120, time.time()))
    client.force_login(owner)

    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()

    assert status == {
        "state": "running",
        "state_label": "Đang chạy",
        "done": 30,
        "total": 120,
        "percent": 25,
        "finished": False,
    }
    assert 'value="25"' in page and "js/job-progress.js" in page
    HUEY.delete(services.progress_key(job.pk))


def test_users_see_only_their_own_jobs(runners, owner, client):
    job = job_submit(user=owner, kind="count", title="Việc của chủ", params={"n": 1})
    other = User.objects.create_user("other", password="x")
    client.force_login(other)

    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert "Việc của chủ" not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(owner)
    assert "Việc của chủ" in client.get(reverse("jobs:list")).content.decode()


def test_a_job_whose_worker_stopped_reporting_is_marked_failed(runners, owner, settings):
    settings.JOB_STALE_SECONDS = 60
    stale = Job.objects.create(user=owner, kind="count", title="a", state=Job.State.RUNNING)
    HUEY.put(services.progress_key(stale.pk), (1, 9, time.time() - 120))
    alive = Job.objects.create(user=owner, kind="count", title="b", state=Job.State.RUNNING)
    HUEY.put(services.progress_key(alive.pk), (1, 9, time.time()))

    services.jobs_tidy()

    stale.refresh_from_db()
    alive.refresh_from_db()
    assert stale.state == Job.State.FAILED and "gián đoạn" in stale.message
    assert alive.state == Job.State.RUNNING
    HUEY.delete(services.progress_key(alive.pk))


def test_result_files_are_deleted_after_the_kept_days(
    runners, owner, settings, client, files_in_tmp
):
    settings.JOB_RESULT_KEPT_DAYS = 7
    old = job_submit(user=owner, kind="count", title="Cũ", params={"n": 1})
    recent = job_submit(user=owner, kind="count", title="Mới", params={"n": 1})
    now = datetime.datetime.now(datetime.UTC)
    Job.objects.filter(pk=old.pk).update(finished_at=now - datetime.timedelta(days=8))
    Job.objects.filter(pk=recent.pk).update(finished_at=now - datetime.timedelta(days=6))
    old.refresh_from_db()
    stored = old.result_file.name
    storage = old.result_file.storage
    assert storage.exists(stored)

    services.jobs_tidy()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.result_file and not storage.exists(stored)
    assert old.result_name == "count.txt" and old.state == Job.State.DONE
    assert recent.result_file and storage.exists(recent.result_file.name)
    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[old.pk])).content.decode()
    assert "Tệp kết quả count.txt chỉ được giữ 7 ngày và đã được xóa" in page
    assert reverse("jobs:download", args=[old.pk]) not in page
    assert client.get(reverse("jobs:download", args=[old.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[recent.pk])).status_code == 200


def test_a_job_delivered_twice_runs_once(runners, owner):
    job = job_submit(user=owner, kind="count", title="Đếm", params={"n": 2})
    finished_at = job.finished_at

    services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.finished_at == finished_at


def test_the_daily_expiry_is_a_periodic_task_at_five_past_midnight_in_vietnam():
    def due_at(hour, minute):
        moment = datetime.datetime(2026, 3, 1, hour, minute)
        return {task.name for task in HUEY.read_periodic(moment)}

    assert "agreements.services.agreements_expire_due" in due_at(17, 5)
    assert "agreements.services.agreements_expire_due" not in due_at(0, 5)


def test_a_job_that_cannot_be_queued_fails_with_a_message(runners, owner, monkeypatch):
    from jobs import tasks

    def unreachable(job_id):
        raise ConnectionError("queue down")

    monkeypatch.setattr(tasks, "run_job", unreachable)

    job = job_submit(user=owner, kind="count", title="Đếm", params={"n": 1})

    assert job.state == Job.State.FAILED
    assert "hàng đợi" in job.message


def test_a_job_stopped_with_its_consumer_is_marked_failed(runners, owner):
    from jobs.tasks import fail_interrupted, run_job

    job = Job.objects.create(user=owner, kind="count", title="Đếm", state=Job.State.RUNNING)

    fail_interrupted("interrupted", run_job.s(job.pk))

    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "gián đoạn" in job.message


def test_the_job_list_costs_the_same_queries_for_many_jobs(
    runners, owner, client, django_assert_num_queries
):
    client.force_login(owner)
    for n in range(3):
        Job.objects.create(user=owner, kind="count", title=f"Việc {n}")
    with django_assert_num_queries(4) as few:
        client.get(reverse("jobs:list"))
    for n in range(3, 9):
        Job.objects.create(user=owner, kind="count", title=f"Việc {n}")

    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("jobs:list"))

    assert page.content.decode().count("/jobs/") >= 9


def test_a_result_whose_file_was_deleted_is_a_404_that_says_so(runners, owner, client):
    job = job_submit(user=owner, kind="count", title="Đếm", params={"n": 1})
    client.force_login(owner)
    job.result_file.storage.delete(job.result_file.name)

    response = client.get(reverse("jobs:download", args=[job.pk]))

    assert response.status_code == 404
    assert "Tệp không còn trong kho lưu trữ" in response.content.decode()


@pytest.fixture
def queue_holds(monkeypatch):
    """Queued jobs stay queued, as they do while the consumer is busy."""
    from jobs import tasks

    monkeypatch.setattr(tasks, "run_job", lambda job_id: None)


def test_once_returns_the_same_job_still_under_way(runners, owner, queue_holds):
    first = job_submit(once=True, user=owner, kind="count", title="Đếm", params={"n": 1})
    again = job_submit(once=True, user=owner, kind="count", title="Đếm", params={"n": 1})
    assert again.pk == first.pk and first.state == Job.State.QUEUED

    Job.objects.filter(pk=first.pk).update(state=Job.State.RUNNING)
    assert job_submit(once=True, user=owner, kind="count", title="Đếm", params={"n": 1}).pk == (
        first.pk
    )
    other = job_submit(once=True, user=owner, kind="count", title="Đếm", params={"n": 2})
    plain = job_submit(user=owner, kind="count", title="Đếm", params={"n": 1})
    someone = User.objects.create_user("someone", password="x")
    theirs = job_submit(once=True, user=someone, kind="count", title="Đếm", params={"n": 1})
    assert len({first.pk, other.pk, plain.pk, theirs.pk}) == 4

    Job.objects.filter(pk=first.pk).update(state=Job.State.DONE)
    Job.objects.filter(pk=plain.pk).update(state=Job.State.FAILED)
    after = job_submit(once=True, user=owner, kind="count", title="Đếm", params={"n": 1})
    assert after.pk not in {first.pk, plain.pk}
