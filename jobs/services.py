"""Writes of background jobs, and the one way a job runs.

A feature registers a runner for its kind of job (`@job_runner("import_preview")` in
its tasks.py) and submits jobs with `job_submit`; the consumer calls `job_run`, which
records the state, the progress and the outcome. While a job runs, its progress lives
in the queue's own key-value store, not in the job's row: an import writes inside one
transaction, and a progress update written through that transaction would stay
invisible until the end.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from huey.contrib.djhuey import HUEY

from jobs.models import Job

logger = logging.getLogger(__name__)
State = Job.State

# Inputs of jobs finished this long ago are deleted (an import preview nobody confirmed).
INPUT_KEPT_SECONDS = 24 * 3600


class JobError(Exception):
    """The job cannot be done for a reason the user can act on; the message says which."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass
class JobResult:
    data: dict = field(default_factory=dict)
    file_name: str = ""
    file_content: bytes | None = None


class Progress:
    """Reports "done of total" for the job page; writes at most twice a second."""

    def __init__(self, job: Job):
        self.key = progress_key(job.pk)
        self.done = 0
        self.total = 0
        self._written = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if now - self._written >= 0.5 or done == self.total:
            self._written = now
            HUEY.put(self.key, (self.done, self.total, time.time()))


@dataclass(frozen=True)
class Runner:
    func: Callable[[Job, Progress], JobResult]
    result_template: str = ""


RUNNERS: dict[str, Runner] = {}


def job_runner(kind: str, *, result_template: str = ""):
    """Register the function that does a kind of job; it returns a JobResult."""

    def register(func):
        RUNNERS[kind] = Runner(func, result_template)
        return func

    return register


def progress_key(job_id: int) -> str:
    return f"job-progress-{job_id}"


def progress_of(job: Job) -> tuple[int, int, float | None]:
    """(done, total, last report as a Unix time) of a running job; the row's when finished."""
    if job.state == State.RUNNING:
        reported = HUEY.get(progress_key(job.pk), peek=True)
        if reported is not None:
            return reported
    return job.done, job.total, None


@transaction.atomic
def job_create(
    *,
    user,
    kind: str,
    title: str,
    params: dict | None = None,
    input_content: bytes | None = None,
    input_name: str = "",
    input_from: Job | None = None,
) -> Job:
    """A queued job; its input is new content, or the stored input of an earlier job."""
    if kind not in RUNNERS:
        raise ValueError(f"no runner for jobs of kind {kind!r}")
    job = Job(user=user, kind=kind, title=title[:300], params=params or {})
    if input_from is not None:
        job.input_file.name = input_from.input_file.name
    job.full_clean()
    job.save()
    if input_content is not None:
        job.input_file.save(input_name or "input", ContentFile(input_content), save=True)
    return job


def job_submit(*, once: bool = False, **kwargs) -> Job:
    """Create a job and queue it; in tests (immediate mode) it has run on return.

    With `once`, a job of the same user, kind and parameters that is still queued or
    running is returned instead of a second one: a double click or a reload of the
    link that started it goes to the job already under way.
    """
    from jobs.tasks import run_job

    if once:
        with transaction.atomic():
            # One user's submissions one at a time (a row lock on PostgreSQL), so two
            # clicks in flight cannot both find nothing and both create.
            users = get_user_model().objects.select_for_update()
            list(users.filter(pk=kwargs["user"].pk).values_list("pk", flat=True))
            pending = _pending_twin(kwargs)
            if pending is not None:
                return pending
            job = job_create(**kwargs)
    else:
        job = job_create(**kwargs)
    try:
        run_job(job.pk)
    except Exception:
        # The queue (Redis, or its SQLite file) cannot be reached: say so on the job's page.
        logger.exception("job %s could not be queued", job.pk)
        job_fail(job=job, message=UNQUEUED)
    job.refresh_from_db()
    return job


def _pending_twin(kwargs) -> Job | None:
    params = kwargs.get("params") or {}
    pending = Job.objects.filter(
        user=kwargs["user"], kind=kwargs["kind"], state__in=[State.QUEUED, State.RUNNING]
    ).order_by("-created_at")
    # Compared here rather than in SQL: JSON equality differs between the databases, and a
    # user has few jobs under way.
    return next((job for job in pending if job.params == params), None)


def job_run(*, job_id: int) -> None:
    """Run a queued job to its end; whatever happens, the job ends done or failed."""
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # a task delivered twice, or a job already ended
    job = Job.objects.get(pk=job_id)
    progress = Progress(job)
    HUEY.put(progress.key, (0, 0, time.time()))
    try:
        result = RUNNERS[job.kind].func(job, progress)
    except JobError as exc:
        _finish(job, progress, state=State.FAILED, message=str(exc.message))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            progress,
            state=State.FAILED,
            message=str(_("Công việc gặp lỗi hệ thống; hãy báo quản trị viên.")),
        )
    else:
        _finish(job, progress, state=State.DONE, result=result)


def _finish(job: Job, progress: Progress, *, state, message="", result=None) -> None:
    job.state = state
    job.message = message
    job.done, job.total = progress.done, progress.total
    job.finished_at = timezone.now()
    if result is not None:
        job.result = result.data
        if result.file_content is not None:
            job.result_name = result.file_name
            job.result_file.save(result.file_name, ContentFile(result.file_content), save=False)
    job.full_clean()
    job.save()
    HUEY.delete(progress.key)


def job_fail(*, job: Job, message) -> None:
    """End a job that stopped without finishing (its worker died or was stopped)."""
    updated = Job.objects.filter(pk=job.pk, state__in=[State.QUEUED, State.RUNNING]).update(
        state=State.FAILED, message=str(message), finished_at=timezone.now()
    )
    if updated:
        HUEY.delete(progress_key(job.pk))


UNQUEUED = _("Không đưa được công việc vào hàng đợi; hãy thử lại sau hoặc báo quản trị viên.")
INTERRUPTED = _(
    "Công việc bị gián đoạn vì máy chủ xử lý dừng giữa chừng; không có dữ liệu nào được "
    "ghi. Hãy chạy lại."
)


def jobs_tidy() -> None:
    """Periodic: fail running jobs whose worker stopped reporting; drop old inputs and,
    after JOB_RESULT_KEPT_DAYS, old result files (the job and its summary stay)."""
    now = time.time()
    for job in Job.objects.filter(state=State.RUNNING):
        _done, _total, reported = progress_of(job)
        last = reported or job.started_at.timestamp()
        if now - last > settings.JOB_STALE_SECONDS:
            job_fail(job=job, message=INTERRUPTED)
    cutoff = timezone.now() - timezone.timedelta(seconds=INPUT_KEPT_SECONDS)
    for job in Job.objects.filter(finished_at__lt=cutoff).exclude(input_file=""):
        job.input_file.delete(save=True)
    kept = timezone.now() - timezone.timedelta(days=settings.JOB_RESULT_KEPT_DAYS)
    for job in Job.objects.filter(finished_at__lt=kept).exclude(result_file=""):
        # The name stays: the job's page says which file was there and that it expired.
        job.result_file.delete(save=False)
        job.save(update_fields=["result_file"])
