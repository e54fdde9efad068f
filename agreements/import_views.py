"""The staff import page: choose, upload, preview every bad row or every change, confirm.

The upload request only runs the checks that need no data row (size, package, XML,
header); the preview and the import itself are background jobs (agreements.tasks), so
a large file never holds a web worker, and the clerk follows a progress bar on the
job's page. The uploaded file waits in the job's storage between preview and confirm;
the confirm job imports it again from scratch with every rule checked again, so
whatever changed in between is caught.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from agreements.resources import RESOURCES, template_file
from jobs.models import Job
from jobs.services import job_submit
from units.resources import FORMATS, check_file

KINDS = {
    "organizations": (
        _("Tổ chức"),
        ("units.add_organization", "units.change_organization"),
    ),
    "agreements": (
        _("Văn bản phối hợp và các bên ký kết"),
        ("agreements.add_agreement", "agreements.change_agreement"),
    ),
    "reviews": (
        _("Hội nghị sơ kết, tổng kết và chỉ tiêu"),
        ("agreements.add_review", "agreements.change_review"),
    ),
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại dữ liệu"), choices=[(k, label) for k, (label, _p) in KINDS.items()]
    )
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc CSV"),
        help_text=_("Dùng tệp mẫu để có đúng tên cột."),
        error_messages={"empty": _("Tệp rỗng, không có dữ liệu để nhập.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)}
            )
        return upload


def _allowed_kinds(user) -> list[str]:
    return [kind for kind, (_label, perms) in KINDS.items() if user.has_perms(perms)]


def _render_start(request, form, status=200):
    kinds = _allowed_kinds(request.user)
    context = {
        "form": form,
        "kinds": [(k, KINDS[k][0]) for k in kinds],
        "formats": list(FORMATS),
        "max_mb": round(settings.IMPORT_MAX_BYTES / (1024 * 1024), 1),
    }
    return render(request, "agreements/import.html", context, status=status)


@login_required
@permission_required("agreements.add_agreement", raise_exception=True)
def import_start(request):
    if request.method != "POST":
        return _render_start(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_start(request, form)
    kind = form.cleaned_data["kind"]
    if kind not in _allowed_kinds(request.user):
        raise PermissionDenied
    upload = form.cleaned_data["file"]
    data = b"".join(upload.chunks())
    problem = check_file(RESOURCES[kind](), data)
    if problem:
        form.add_error("file", problem)
        return _render_start(request, form)
    job = job_submit(
        user=request.user,
        kind="import_preview",
        title=gettext("Kiểm tra tệp “%(name)s” (%(kind)s)")
        % {"name": upload.name, "kind": KINDS[kind][0]},
        params={"kind": kind, "file_name": upload.name},
        input_content=data,
        input_name=upload.name,
    )
    return redirect("jobs:detail", job.pk)


@login_required
@permission_required("agreements.add_agreement", raise_exception=True)
@require_POST
def import_confirm(request):
    try:
        preview_id = int(request.POST.get("job", ""))
    except ValueError:
        raise Http404 from None
    preview = get_object_or_404(
        Job, pk=preview_id, user=request.user, kind="import_preview", state=Job.State.DONE
    )
    kind = preview.params["kind"]
    if kind not in _allowed_kinds(request.user):
        raise PermissionDenied
    # A preview with bad rows offers nothing to confirm, and is confirmed at most once.
    spent = Job.objects.filter(kind="import_confirm", params__preview=preview.pk).exists()
    if preview.result.get("problems") or spent:
        raise Http404
    job = job_submit(
        user=request.user,
        kind="import_confirm",
        title=gettext("Nhập tệp “%(name)s” (%(kind)s)")
        % {"name": preview.params["file_name"], "kind": KINDS[kind][0]},
        params={**preview.params, "preview": preview.pk},
        input_from=preview,
    )
    return redirect("jobs:detail", job.pk)


@login_required
@permission_required("agreements.add_agreement", raise_exception=True)
@require_GET
def import_template(request, kind: str, fmt: str):
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    content, content_type, filename = template_file(kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
