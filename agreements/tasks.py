"""Background jobs of the agreements app: the staff import's preview and confirm."""

from django.utils.translation import gettext_lazy as _

from agreements.resources import RESOURCES
from jobs.services import JobError, JobResult, job_runner
from units.resources import ImportOutcome, run_import

RESULT_TEMPLATE = "agreements/import_result.html"


def _import(job, progress, *, dry_run: bool) -> JobResult:
    try:
        with job.input_file.open("rb") as stored:
            data = stored.read()
    except (FileNotFoundError, ValueError):
        raise JobError(_("Tệp tải lên đã hết hạn; hãy tải tệp lên lại.")) from None
    resource = RESOURCES[job.params["kind"]]()
    outcome = run_import(resource, data, user=job.user, dry_run=dry_run, progress=progress)
    if outcome.file_error:
        raise JobError(outcome.file_error)
    return JobResult(_outcome_data(outcome))


def _outcome_data(outcome: ImportOutcome) -> dict:
    return {
        "problems": [[p.row, p.messages] for p in outcome.problems],
        "changes": [[r.row, r.action, r.label] for r in outcome.rows if r.action != "skip"],
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
    }


@job_runner("import_preview", result_template=RESULT_TEMPLATE)
def import_preview(job, progress) -> JobResult:
    return _import(job, progress, dry_run=True)


@job_runner("import_confirm", result_template=RESULT_TEMPLATE)
def import_confirm(job, progress) -> JobResult:
    # Bad rows here mean the data changed since the preview; nothing was written.
    return _import(job, progress, dry_run=False)
