"""Pages for deadlines: completeness, directives, notices and the deadline calendar.

Every page reads through units.scoping (out of scope: 404) and writes through
deadlines.services.
"""

import csv
import io

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from agreements.forms import apply_service_errors
from agreements.models import Agreement, Review
from agreements.selectors import agreement_list
from deadlines import selectors, services
from deadlines.forms import DirectiveReportForm, NoticePreferenceForm, YearForm
from deadlines.models import Directive, Notice, NoticePreference
from units.models import AdministrativeUnit
from units.roles import can_edit
from units.scoping import get_scoped_or_404, scope_of

PAGE_SIZE = 50
CALENDAR_MONTHS = 3


def _scoped_agreements(request) -> tuple[object, AdministrativeUnit | None]:
    """The user's agreements, narrowed to one province a national user picked."""
    agreements = Agreement.objects.restrict(request.user)
    code = request.GET.get("province", "")
    province = None
    if code and scope_of(request.user).everything:
        province = AdministrativeUnit.objects.current().provinces().filter(code=code).first()
        if province is None:
            raise Http404
        agreements = agreements.filter(province=province)
    return agreements, province


@login_required
@require_GET
def completeness(request):
    today = timezone.localdate()
    form = YearForm(request.GET)
    # By default the last year whose reviews have all fallen due: the year before today's.
    year = form.year_or(today.year - 1)
    agreements, province = _scoped_agreements(request)
    total, by_province = selectors.completeness(agreements, year=year, today=today)
    show = request.GET.get("show", "")
    page = None
    if show:
        if show not in selectors.CATEGORIES:
            raise Http404
        rows = selectors.completeness_list(agreements, year=year, category=show, today=today)
        rows = agreement_list(rows).order_by("title", "pk")
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = dict(
        AdministrativeUnit.objects.filter(pk__in=[p for p in by_province if p]).values_list(
            "pk", "name"
        )
    )
    provinces = sorted(
        ((names.get(pk, _("Toàn quốc")), figures) for pk, figures in by_province.items()),
        key=lambda row: row[0],
    )
    national = scope_of(request.user).everything
    context = {
        "year": year,
        "years": range(today.year, today.year - 6, -1),
        "province_choices": (
            AdministrativeUnit.objects.current().provinces().order_by("name").values("code", "name")
            if national
            else []
        ),
        "figures": total,
        "province": province,
        "provinces": provinces if national and not province else [],
        "show": show,
        "page": page,
        "categories": _category_labels(),
    }
    return render(request, "deadlines/completeness.html", context)


def _category_labels() -> dict[str, str]:
    return {
        "expected": _("Phải sơ kết"),
        "held": _("Đã sơ kết"),
        "on_time": _("Đúng hạn"),
        "late": _("Trễ hạn"),
        "missing": _("Chưa sơ kết"),
        "overdue": _("Quá hạn, chưa sơ kết"),
    }


# Directives -------------------------------------------------------------------------


@login_required
@require_GET
def directive_list(request):
    today = timezone.localdate()
    directives = Directive.objects.restrict(request.user)
    context = {"summaries": selectors.directive_summaries(directives, today=today)}
    return render(request, "deadlines/directive_list.html", context)


def _compliance(request, directive):
    today = timezone.localdate()
    default_year, due_on = selectors.directive_report_due(directive, today)
    year = YearForm(request.GET).year_or(default_year)
    rows = selectors.directive_compliance(directive, on=today, year=year)
    return today, year, due_on if year == default_year else None, rows


@login_required
@require_http_methods(["GET", "POST"])
def directive_detail(request, pk: int):
    directive = get_scoped_or_404(Directive.objects.select_related("issuer"), request.user, pk=pk)
    today, year, due_on, rows = _compliance(request, directive)
    form = None
    if can_edit(request.user):
        organizations = selectors.bound_organizations(directive, on=today)
        reviews = (
            Review.objects.restrict(request.user)
            .filter(kind=Review.Kind.ANNUAL, agreement__parties__organization__in=organizations)
            .distinct()
            .order_by("-year", "agreement__title")
        )
        form = DirectiveReportForm(
            request.POST or None,
            request.FILES or None,
            organizations=organizations,
            reviews=reviews,
            initial={"year": year, "received_on": today},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.directive_report_record(
                    directive=directive, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(error, form)
            else:
                messages.success(request, _("Đã ghi nhận báo cáo."))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "directive": directive,
        "year": year,
        "due_on": due_on,
        "rows": rows,
        "complying": sum(r.complies for r in rows),
        "not_complying": [r for r in rows if not r.complies],
        "reported": sum(r.report is not None for r in rows),
        "form": form,
    }
    return render(request, "deadlines/directive_detail.html", context)


@login_required
@require_GET
def directive_export(request, pk: int, fmt: str):
    """The organizations that have not complied, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    directive = get_scoped_or_404(Directive, request.user, pk=pk)
    _today, year, _due_on, rows = _compliance(request, directive)
    data = tablib.Dataset(
        headers=[
            _("Tổ chức"),
            _("Loại tổ chức"),
            _("Số văn bản đáp ứng"),
            _("Số văn bản yêu cầu"),
            _("Báo cáo năm %(year)s") % {"year": year},
        ]
    )
    for row in rows:
        if not row.complies:
            data.append(
                [
                    row.organization.name,
                    row.organization.get_kind_display(),
                    len(row.agreements),
                    row.required,
                    row.report.received_on.strftime("%d/%m/%Y") if row.report else "",
                ]
            )
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([data.headers, *data])
        content, content_type = buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"
    else:
        content = data.export("xlsx")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=content_type)
    filename = f"chi-thi-{directive.pk}-chua-thuc-hien-{year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Notices ----------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request):
    notices = selectors.user_notices(request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deadlines/notice_list.html", {"page": page})


@login_required
@require_POST
def notice_read(request, pk: int):
    notice = get_scoped_or_404(Notice.objects.filter(user=request.user), request.user, pk=pk)
    services.notice_mark_read(notice=notice, user=request.user)
    if request.POST.get("go"):
        return redirect(notice.target_url())
    return redirect("deadlines:notice_list")


@login_required
@require_POST
def notice_read_all(request):
    services.notices_mark_all_read(user=request.user)
    return redirect("deadlines:notice_list")


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request):
    preference = NoticePreference.objects.filter(user=request.user).first()
    form = NoticePreferenceForm(
        request.POST or None,
        instance=preference,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        services.notice_preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Đã lưu tùy chọn thông báo."))
        return redirect("deadlines:notice_list")
    return render(request, "deadlines/notice_settings.html", {"form": form})


# Deadline calendar ------------------------------------------------------------------


def _deadlines(request):
    today = timezone.localdate()
    agreements = Agreement.objects.restrict(request.user)
    directives = Directive.objects.restrict(request.user)
    return today, selectors.deadlines(agreements, directives, today=today, months=CALENDAR_MONTHS)


@login_required
@require_GET
def deadline_list(request):
    today, items = _deadlines(request)
    context = {"today": today, "deadlines": items, "months": CALENDAR_MONTHS}
    return render(request, "deadlines/deadline_list.html", context)


@login_required
@require_GET
def deadline_ics(request):
    """The same deadlines as all-day events, for the user's own calendar."""
    _today, items = _deadlines(request)
    calendar = Calendar()
    calendar.add("prodid", "-//BDBP//Phoi hop//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Hạn cần chú ý"))
    stamp = timezone.now()
    for item in items:
        event = Event()
        event.add("uid", f"{item.uid}@{request.get_host()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("summary", f"{item.kind}: {item.title}")
        event.add("url", request.build_absolute_uri(item.url))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deadlines.ics"'
    return response
