"""The staff import page: choose, upload, preview every bad row or every change, confirm.

Between preview and confirm the uploaded file waits on the server, under var/, named
by a random token that is only valid in the uploader's session. Sending it back as
hidden base64 would push up to IMPORT_MAX_BYTES × 4/3 through a form field, past
DATA_UPLOAD_MAX_MEMORY_SIZE, and would let the browser swap the file between preview
and confirm. The confirm step imports the stored file again from scratch, with every
rule checked again, so whatever changed in between is caught.
"""

import hashlib
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from agreements.resources import RESOURCES, template_file
from units.resources import FORMATS, run_import

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
SESSION_KEY = "pending_imports"
DONE_KEY = "import_done"
STALE_SECONDS = 24 * 3600


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


def _tmp_dir() -> Path:
    path = Path(getattr(settings, "IMPORT_TMP_DIR", settings.VAR_DIR / "import-tmp"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep(directory: Path) -> None:
    """Uploads nobody confirmed are removed after a day."""
    cutoff = time.time() - STALE_SECONDS
    for item in directory.glob("*.upload"):
        if item.stat().st_mtime < cutoff:
            item.unlink(missing_ok=True)


def _stash(request, kind: str, data: bytes, name: str) -> str:
    directory = _tmp_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.upload").write_bytes(data)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {"kind": kind, "name": name, "sha256": hashlib.sha256(data).hexdigest()}
    request.session[SESSION_KEY] = dict(list(pending.items())[-5:])
    return token


def _unstash(request, token: str) -> tuple[dict, bytes]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None:
        raise Http404
    path = _tmp_dir() / f"{token}.upload"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise Http404 from None
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise Http404
    return entry, data


def _discard(request, token: str) -> None:
    (_tmp_dir() / f"{token}.upload").unlink(missing_ok=True)
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


def _render_start(request, form, status=200):
    kinds = _allowed_kinds(request.user)
    context = {
        "form": form,
        "kinds": [(k, KINDS[k][0]) for k in kinds],
        "formats": list(FORMATS),
        "done": request.session.pop(DONE_KEY, None),
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
    outcome = run_import(RESOURCES[kind](), data, user=request.user, dry_run=True)
    if outcome.file_error:
        form.add_error("file", outcome.file_error)
        return _render_start(request, form)
    token = _stash(request, kind, data, upload.name) if outcome.ok else None
    return _render_preview(request, kind, upload.name, outcome, token)


def _render_preview(request, kind, name, outcome, token):
    context = {
        "kind": kind,
        "kind_label": KINDS[kind][0],
        "file_name": name,
        "outcome": outcome,
        "token": token,
        "changes": [r for r in outcome.rows if r.action != "skip"],
    }
    return render(request, "agreements/import_preview.html", context)


@login_required
@permission_required("agreements.add_agreement", raise_exception=True)
@require_POST
def import_confirm(request):
    token = request.POST.get("token", "")
    entry, data = _unstash(request, token)
    kind = entry["kind"]
    if kind not in _allowed_kinds(request.user):
        raise PermissionDenied
    outcome = run_import(RESOURCES[kind](), data, user=request.user, dry_run=False)
    if not outcome.ok:
        # The database changed since the preview; nothing was written.
        return _render_preview(request, kind, entry["name"], outcome, None)
    _discard(request, token)
    request.session[DONE_KEY] = {
        "kind": str(KINDS[kind][0]),
        "name": entry["name"],
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
    }
    return redirect("agreements:import_start")


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
