"""Huey tasks of the job machinery, and the periodic tasks named in settings.PERIODIC_TASKS."""

from django.conf import settings
from django.utils.module_loading import import_string
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, signal, task
from huey.signals import SIGNAL_INTERRUPTED

from jobs import services
from jobs.models import Job


@db_task()
def run_job(job_id: int) -> None:
    services.job_run(job_id=job_id)


@task()
def echo(value):
    """Answered by a consumer: `manage.py queue_check` shows that one is running."""
    return value


@signal(SIGNAL_INTERRUPTED)
def fail_interrupted(signal_name, task_message, exc=None):
    # The consumer is stopping while a job runs: its transaction is rolled back.
    if isinstance(task_message, run_job.task_class):
        job = Job.objects.filter(pk=task_message.args[0]).first()
        if job is not None:
            services.job_fail(job=job, message=services.INTERRUPTED)


def _register_periodic(path: str, schedule: str):
    minute, hour, day, month, day_of_week = schedule.split()
    func = import_string(path)

    def run():
        func()

    run.__name__ = path.rsplit(".", 1)[-1]
    return db_periodic_task(crontab(minute, hour, day, month, day_of_week), name=path)(run)


PERIODIC = [
    _register_periodic(path, schedule) for path, schedule in settings.PERIODIC_TASKS.items()
]
