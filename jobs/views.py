"""A user's own background jobs: the list, one job's page, its progress as JSON, its file."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from jobs.models import Job
from jobs.services import RUNNERS, progress_of
from units.files import open_stored


def _own_job(request, pk: int) -> Job:
    # Another user's job is a 404, like any record out of scope.
    return get_object_or_404(Job, pk=pk, user=request.user)


def _percent(done: int, total: int) -> int:
    return min(100, round(100 * done / total)) if total else 0


@login_required
@require_GET
def job_list(request):
    jobs = request.user.jobs.all()[:100]
    return render(request, "jobs/list.html", {"jobs": jobs})


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _own_job(request, pk)
    done, total, _reported = progress_of(job)
    runner = RUNNERS.get(job.kind)
    context = {
        "job": job,
        "done": done,
        "total": total,
        "percent": _percent(done, total),
        "result_kept_days": settings.JOB_RESULT_KEPT_DAYS,
        "result_template": (
            runner.result_template if runner and job.state == Job.State.DONE else ""
        ),
    }
    return render(request, "jobs/detail.html", context)


@login_required
@require_GET
def job_status(request, pk: int):
    job = _own_job(request, pk)
    done, total, _reported = progress_of(job)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "done": done,
            "total": total,
            "percent": _percent(done, total),
            "finished": job.finished,
        }
    )


@login_required
@require_GET
def job_download(request, pk: int):
    job = _own_job(request, pk)
    return FileResponse(open_stored(job.result_file), as_attachment=True, filename=job.result_name)
