"""Background jobs of the registry: a list's export too long to write inside a request."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jobs.services import JobError, JobResult, job_runner
from registry.base import get_type
from registry.exports import export_content, export_request, scope_params
from units.scoping import scope_of


@job_runner("list_export")
def list_export(job, progress) -> JobResult:
    params = job.params
    # The file shows what the user may see now; if that changed since they asked (moved
    # to another province, account closed), it is not the list they asked for.
    if scope_params(scope_of(job.user)) != params["scope"]:
        raise JobError(
            _("Phạm vi dữ liệu của tài khoản đã thay đổi từ khi yêu cầu; hãy xuất lại danh sách.")
        )
    request = export_request(user=job.user, query=params["query"])
    with translation.override(params["language"]):
        content, _content_type, filename = export_content(
            request, get_type(params["type"]), params["fmt"], progress=progress
        )
    return JobResult({"rows": progress.done}, filename, content)
