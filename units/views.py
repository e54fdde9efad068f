import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units.files import StoredFileMissing
from units.forms import DateField
from units.models import AdministrativeUnit, Organization
from units.scoping import scope_of
from units.services import UnknownCodesError, border_communes_mark
from units.text import search

AUTOCOMPLETE_LIMIT = 20


@require_GET
@never_cache
def healthz(request):
    """Liveness for load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def organization_autocomplete(request):
    """Organizations the user may choose, by any words of their name, diacritics optional."""
    organizations = Organization.objects.restrict(request.user)
    query = request.GET.get("q", "")
    if query.strip():
        organizations = search(organizations, query)
    organizations = organizations.select_related("province").order_by(
        F("dissolved_on").asc(nulls_first=True), "name"
    )[:AUTOCOMPLETE_LIMIT]
    results = [
        {
            "id": organization.pk,
            "text": organization.name,
            "detail": ", ".join(
                part
                for part in (
                    organization.get_kind_display(),
                    organization.province.name if organization.province else "",
                    _("giải thể %(date)s")
                    % {"date": organization.dissolved_on.strftime("%d/%m/%Y")}
                    if organization.dissolved_on
                    else "",
                )
                if part
            ),
        }
        for organization in organizations
    ]
    return JsonResponse({"results": results})


@login_required
@require_GET
def unit_autocomplete(request):
    """Current units by name or code; `kind=communes` for communes, limited to the
    user's province unless they see the whole country."""
    units = AdministrativeUnit.objects.current().select_related("parent")
    if request.GET.get("kind") == "communes":
        units = units.communes()
        scope = scope_of(request.user)
        if not scope.everything:
            units = units.filter(parent_id=scope.province_id)
    query = request.GET.get("q", "")
    if query.strip():
        units = search(units, query)
    results = [
        {
            "id": unit.pk,
            "text": unit.name,
            "detail": ", ".join(
                part for part in (unit.code, unit.parent.name if unit.parent else "") if part
            ),
        }
        for unit in units.order_by("name", "code")[:AUTOCOMPLETE_LIMIT]
    ]
    return JsonResponse({"results": results})


class BorderMarkForm(forms.Form):
    codes = forms.CharField(
        label=gettext_lazy("Mã các xã, phường biên giới"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Mã theo danh mục chính thức, cách nhau bởi dấu cách, dấu phẩy hoặc xuống dòng."
        ),
        max_length=200_000,
    )
    valid_from = DateField(
        label=gettext_lazy("Từ ngày"), required=False, help_text=gettext_lazy("Để trống: hôm nay.")
    )
    valid_until = DateField(label=gettext_lazy("Đến trước ngày"), required=False)
    replace = forms.BooleanField(
        label=gettext_lazy("Thay cả danh sách: bỏ đánh dấu các xã khác của cùng thời kỳ"),
        required=False,
    )

    def clean_codes(self) -> list[str]:
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["codes"]) if c]
        if not codes:
            raise forms.ValidationError(gettext_lazy("Hãy ghi ít nhất một mã."))
        if any(not c.isdigit() or len(c) > 5 for c in codes):
            raise forms.ValidationError(gettext_lazy("Mã xã, phường là dãy tối đa 5 chữ số."))
        return codes

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if end and end <= (start or timezone.localdate()):
            self.add_error("valid_until", gettext_lazy("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


@login_required
def border_mark(request):
    """Admins mark border communes (the appendix of Nghị định 299/2025/NĐ-CP, or a list
    of an earlier year) here as well as with `manage.py mark_border_communes`."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = BorderMarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                result = border_communes_mark(
                    codes=form.cleaned_data["codes"],
                    replace=form.cleaned_data["replace"],
                    valid_from=form.cleaned_data["valid_from"],
                    valid_until=form.cleaned_data["valid_until"],
                )
        except UnknownCodesError as error:
            form.add_error(
                "codes",
                _("Không có xã, phường nào mang các mã sau trong thời kỳ đã chọn: %(codes)s")
                % {"codes": ", ".join(error.codes)},
            )
        else:
            messages.success(
                request,
                _(
                    "Đã đánh dấu %(marked)d, bỏ đánh dấu %(unmarked)d; hiện có %(total)d xã biên giới."
                )
                % {
                    "marked": result["marked"],
                    "unmarked": result["unmarked"],
                    "total": result["total_border"],
                },
            )
            return redirect("registry:units_list")
    return render(request, "units/border_mark.html", {"form": form})


def page_not_found(request, exception):
    """The 404 page; a record whose file the storage lost says so instead of "no page"."""
    if isinstance(exception, StoredFileMissing):
        return render(request, "404.html", {"file_missing": True}, status=404)
    return defaults.page_not_found(request, exception)
