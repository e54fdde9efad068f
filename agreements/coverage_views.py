"""The coverage page (/coverage/): figures for any day and scope, the lists behind
them, an export of those lists, and the offline map."""

import csv
import datetime
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from agreements.coverage import coverage_report
from agreements.coverage_map import coverage_map
from units.models import AdministrativeUnit
from units.scoping import scope_of
from units.selectors import units_source

NATIONAL = "national"


def scope_units(user, on: datetime.date):
    """The units a user may ask coverage of on a day: provinces of that day and, before
    the reform, their border districts. A province user gets their province, or
    before the reform the provinces it was formed from, and their districts."""
    scope = scope_of(user)
    units = AdministrativeUnit.objects.current(on)
    provinces = units.provinces()
    if not scope.everything:
        # A province of the day is the user's province or one of its predecessors.
        provinces = provinces.filter(
            Q(pk=scope.province_id) | Q(successors=scope.province_id)
        ).distinct()
    districts = units.filter(
        type__in=AdministrativeUnit.DISTRICT_TYPES, parent__in=provinces, is_border=True
    )
    return provinces.order_by("code"), districts.select_related("parent").order_by("code")


class CoverageForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("Ngày"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ (dạng YYYY-MM-DD).")},
    )
    scope = forms.CharField(label=gettext_lazy("Phạm vi"), required=False, max_length=10)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_on(self):
        on = self.cleaned_data["on"] or timezone.localdate()
        if on.year < 1945:
            raise forms.ValidationError(_("Ngày không hợp lệ (dạng YYYY-MM-DD)."))
        return on

    def clean(self):
        data = super().clean()
        on = data.get("on")
        if on is None:
            return data
        provinces, districts = scope_units(self.user, on)
        everything = scope_of(self.user).everything
        code = (data.get("scope") or "").strip()
        if code in ("", NATIONAL):
            if everything:
                data["unit"] = None
                return data
            if code == "" and provinces:
                data["unit"] = provinces[0]
                return data
        unit = provinces.filter(code=code).first() or districts.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("Không có đơn vị nào mã “%(code)s” trong phạm vi của bạn vào ngày %(on)s.")
                % {"code": code or NATIONAL, "on": on.strftime("%d/%m/%Y")}
            )
        data["unit"] = unit
        return data


def _report(request):
    if not scope_of(request.user).everything and scope_of(request.user).province_id is None:
        raise Http404
    form = CoverageForm(request.GET, user=request.user)
    if form.is_valid():
        on, unit = form.cleaned_data["on"], form.cleaned_data["unit"]
    else:
        on = timezone.localdate()
        fallback = CoverageForm({}, user=request.user)
        if not fallback.is_valid():
            raise Http404
        unit = fallback.cleaned_data["unit"]
    return form, coverage_report(scope=unit, on=on)


@login_required
@require_GET
def coverage_page(request):
    form, report = _report(request)
    provinces, districts = scope_units(request.user, report.on)
    return render(
        request,
        "agreements/coverage.html",
        {
            "form": form,
            "report": report,
            "scope_code": report.scope.code if report.scope else NATIONAL,
            "national_allowed": scope_of(request.user).everything,
            "provinces": provinces,
            "districts": districts,
            "map": coverage_map(report.points),
            "map_on": report.on,
            "source": units_source(),
        },
    )


def export_rows(report) -> list[list[str]]:
    """The lists behind the figures, one row each: what a spreadsheet user filters on."""
    rows = [[_("Danh sách"), _("Mã"), _("Tên"), _("Trực thuộc")]]
    for unit in report.communes_without:
        rows.append(
            [_("Xã, phường biên giới chưa có văn bản"), unit.code, unit.name, unit.parent.name]
        )
    for post in report.posts_without:
        rows.append(
            [
                _("Đồn Biên phòng chưa có văn bản"),
                post.code or "",
                post.name,
                post.province.name if post.province else "",
            ]
        )
    for unit in report.districts_without:
        rows.append([_("Huyện biên giới chưa có quy chế"), unit.code, unit.name, unit.parent.name])
    for org in report.not_twinned:
        rows.append([_("Cơ quan, doanh nghiệp chưa kết nghĩa"), org.code or "", org.name, ""])
    return rows


@login_required
@require_GET
def coverage_export(request):
    """The lists of the page as CSV (UTF-8 with a byte-order mark, for Excel)."""
    _form, report = _report(request)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(export_rows(report))
    scope = report.scope.code if report.scope else NATIONAL
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="bao-phu-{scope}-{report.on:%Y-%m-%d}.csv"'
    )
    return response
