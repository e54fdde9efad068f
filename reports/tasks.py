"""Background jobs of the reports app: every scope's annual summary in one ZIP."""

import io
import logging
import zipfile

from django.utils.translation import gettext_lazy as _

from jobs.services import JobError, JobResult, job_runner
from reports import renderer, selectors, views
from units.models import AdministrativeUnit

logger = logging.getLogger(__name__)


def annual_pdf(province, year: int) -> renderer.CachedPdf:
    """The annual summary of a scope (None: national), from the cache when it is current."""
    code, _scope_name = selectors.scope_label(province)
    return renderer.cached_pdf_stamped(
        views.ANNUAL_TEMPLATE,
        stamp=selectors.annual_summary_stamp(province, year),
        name=f"annual-{year}-{code}",
        gather=lambda: selectors.annual_summary_data(province, year),
    )


@job_runner("annual_pdf")
def annual_pdf_job(job, progress) -> JobResult:
    province_id = job.params["province"]
    province = AdministrativeUnit.objects.get(pk=province_id) if province_id else None
    year = job.params["year"]
    progress(0, 1)
    cached = annual_pdf(province, year)
    with cached.file:
        content = cached.file.read()
    progress(1)
    _code, scope_name = selectors.scope_label(province)
    name, _ascii_name = views.file_names("Báo cáo tổng hợp", str(year), scope_name)
    return JobResult({}, name, content)


@job_runner("annual_batch", result_template="reports/batch_result.html")
def annual_batch(job, progress) -> JobResult:
    year = job.params["year"]
    scopes = selectors.annual_scopes()
    buffer = io.BytesIO()
    failed = []
    progress(0, len(scopes))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, province in enumerate(scopes, start=1):
            _code, scope_name = selectors.scope_label(province)
            # One scope's failure must not stop the batch: it is listed on the job page.
            try:
                cached = annual_pdf(province, year)
            except Exception:
                logger.exception("annual summary %s of %s failed", year, scope_name)
                failed.append(scope_name)
            else:
                with cached.file:
                    name, _ascii_name = views.file_names("Báo cáo tổng hợp", str(year), scope_name)
                    archive.writestr(name, cached.file.read())
            progress(index)
    if len(failed) == len(scopes):
        raise JobError(_("Không lập được báo cáo nào; hãy báo quản trị viên."))
    return JobResult(
        {"written": len(scopes) - len(failed), "failed": failed},
        f"bao-cao-tong-hop-{year}.zip",
        buffer.getvalue(),
    )
