"""Pages and actions for agreements and reviews.

Each view fetches through `units.scoping` (out of scope: 404), checks the role
(no right to change: 403), hands input to a service and redirects, or queries
and renders an explicit context.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agreements import selectors, services
from agreements.filters import AgreementFilter
from agreements.forms import (
    AgreementForm,
    AttachmentForm,
    NewAgreementForm,
    ReviewForm,
    TerminateForm,
    apply_service_errors,
    party_formset,
    party_initial,
)
from agreements.models import Agreement, Attachment, FocusArea, Indicator, Review
from agreements.resources import export_agreements
from reports.views import NATIONAL as NATIONAL_REPORT_SCOPE
from units.models import AdministrativeUnit
from units.roles import can_approve, can_edit
from units.scoping import get_scoped_or_404, scope_of

PAGE_SIZE = 25
EXPIRING_MONTHS = 6
EXPIRING_SHOWN = 10
DASHBOARD_CACHE_SECONDS = 300

LIST_COLUMNS = [
    ("number", gettext_lazy("Số, ký hiệu")),
    ("title", gettext_lazy("Tên văn bản")),
    ("kind", gettext_lazy("Loại")),
    ("province", gettext_lazy("Tỉnh, thành phố")),
    ("valid_from", gettext_lazy("Thời hạn")),
    ("status", gettext_lazy("Trạng thái")),
]


def _require_edit(user) -> None:
    if not can_edit(user):
        raise PermissionDenied


def _scoped_agreement(request, pk, queryset=None) -> Agreement:
    return get_scoped_or_404(
        queryset if queryset is not None else Agreement.objects.all(), request.user, pk=pk
    )


# Dashboard ---------------------------------------------------------------------------


def _dashboard_figures(user, scope, today: datetime.date) -> dict:
    """The dashboard's figures, as plain data so they can be cached."""
    agreements = Agreement.objects.restrict(user)
    by_kind = selectors.in_force_by_kind(agreements, on=today)
    expiring = selectors.agreements_expiring(agreements, months=EXPIRING_MONTHS, today=today)
    coverage = selectors.coverage_table(on=today)
    empty = selectors.Coverage(0, 0, 0, 0)
    provinces = (
        AdministrativeUnit.objects.current(today).provinces().filter(is_border=True)
        if scope.everything
        else AdministrativeUnit.objects.none()
    )
    # The scope's code as the annual summary takes it: "national" or a GSO code.
    if scope.everything:
        own_coverage, scope_code = coverage[None], NATIONAL_REPORT_SCOPE
    elif scope.province_id:
        own_coverage = coverage.get(scope.province_id, empty)
        scope_code = (
            AdministrativeUnit.objects.filter(pk=scope.province_id)
            .values_list("code", flat=True)
            .first()
        )
    else:
        own_coverage, scope_code = None, None
    return {
        "scope_code": scope_code,
        "in_force": [{"kind": kind, "count": count} for kind, count in by_kind.items()],
        "reviews_this_year": selectors.review_due_status(agreements, year=today.year, today=today),
        "reviews_last_year": selectors.review_due_status(
            agreements, year=today.year - 1, today=today
        ),
        "expiring_count": expiring.count(),
        "expiring": list(
            expiring.values("pk", "title", "valid_until", "province__name")[:EXPIRING_SHOWN]
        ),
        "coverage": own_coverage,
        "provinces": [
            {"pk": pk, "name": name, "code": code, "coverage": coverage.get(pk, empty)}
            for pk, name, code in provinces.order_by("name").values_list("pk", "name", "code")
        ],
    }


def _annual_report(scope_code: str, year: int) -> dict:
    """Links to the annual summary of a scope ("national" or a province's GSO code)."""
    query = urlencode({"province": scope_code})
    return {
        "year": year,
        "pdf_url": f"{reverse('reports:annual_pdf', args=[year])}?{query}",
        "preview_url": f"{reverse('reports:annual_preview', args=[year])}?{query}",
        "issue_url": f"{reverse('documents:annual_issue', args=[year])}?{query}",
    }


@login_required
@require_GET
def dashboard(request):
    """Figures for the user's scope; cached until the data change (or for a few minutes)."""
    user = request.user
    scope = scope_of(user)
    today = timezone.localdate()
    key = f"dashboard:{scope.everything}:{scope.province_id}:{today}:{selectors.data_stamp()}"
    figures = cache.get(key)
    if figures is None:
        figures = _dashboard_figures(user, scope, today)
        cache.set(key, figures, DASHBOARD_CACHE_SECONDS)
    for row in figures["in_force"]:
        row["label"] = Agreement.Kind(row["kind"]).label
    for row in figures["provinces"]:
        row["report"] = _annual_report(row["code"], today.year)
    scope_code = figures["scope_code"]
    context = {
        **figures,
        "annual_reports": [
            _annual_report(scope_code, year) for year in (today.year, today.year - 1)
        ]
        if scope_code
        else [],
        "today": today,
        "in_force_total": sum(row["count"] for row in figures["in_force"]),
        "expiring_months": EXPIRING_MONTHS,
        "is_national": scope.everything,
        "can_edit": can_edit(user),
    }
    return render(request, "agreements/dashboard.html", context)


# List and exports --------------------------------------------------------------------


def _filtered(request) -> AgreementFilter:
    return AgreementFilter(
        request.GET or None,
        queryset=Agreement.objects.restrict(request.user),
        request=request,
    )


def _sort_columns(current: str) -> list[dict]:
    columns = []
    for key, label in LIST_COLUMNS:
        if current == key:
            state, next_sort = "ascending", f"-{key}"
        elif current == f"-{key}":
            state, next_sort = "descending", key
        else:
            state, next_sort = None, key
        columns.append({"key": key, "label": label, "sort": next_sort, "state": state})
    return columns


@login_required
@require_GET
def agreement_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    paginator = Paginator(selectors.agreement_list(queryset), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "agreements": page.object_list,
        "columns": _sort_columns(request.GET.get("sort", "")),
        "can_edit": can_edit(request.user),
        "import_url": reverse("agreements:import_start") if can_edit(request.user) else None,
    }
    return render(request, "agreements/agreement_list.html", context)


@login_required
@require_GET
def agreement_export(request, fmt: str):
    """The current filtered list (every page) in the import's columns: natural keys only."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filterset = _filtered(request)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    content, content_type, filename = export_agreements(queryset, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Detail ------------------------------------------------------------------------------


def _status_history(agreement: Agreement) -> list:
    """The records where the status changed, oldest first, with who changed it.

    Every record's status is read (two narrow columns), then only the changes in full,
    so a much-edited agreement still shows its latest status change.
    """
    changed, previous = [], None
    for history_id, status in agreement.history.order_by("history_date", "history_id").values_list(
        "history_id", "status"
    ):
        if status != previous:
            changed.append(history_id)
            previous = status
    records = agreement.history.filter(history_id__in=changed).select_related("history_user")
    return list(records.order_by("history_date", "history_id"))


@login_required
@require_GET
def agreement_detail(request, pk):
    agreement = _scoped_agreement(request, pk, selectors.agreement_detail(Agreement.objects))
    user = request.user
    reviews = list(agreement.reviews.all())
    for review in reviews:
        review.pdf_url = reverse("reports:review_pdf", args=[review.pk])
        review.preview_url = reverse("reports:review_preview", args=[review.pk])
    superseded_by = getattr(agreement, "superseded_by", None)
    context = {
        "agreement": agreement,
        "parties": agreement.parties.all(),
        "reviews": reviews,
        "attachments": agreement.attachments.all(),
        "history": _status_history(agreement),
        "superseded_by": superseded_by,
        "can_edit": can_edit(user),
        "can_approve": can_approve(user),
        "can_renew": can_edit(user)
        and superseded_by is None
        and agreement.status in (Agreement.Status.IN_FORCE, Agreement.Status.EXPIRED),
        "can_terminate": can_edit(user) and agreement.status == Agreement.Status.IN_FORCE,
        "can_activate": can_edit(user) and agreement.status == Agreement.Status.DRAFT,
        "can_change": can_edit(user) and not agreement.is_locked_status,
        "can_review": can_edit(user) and agreement.status != Agreement.Status.DRAFT,
        "terminate_form": TerminateForm(),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "agreements/agreement_detail.html", context)


# Create, edit, renew -----------------------------------------------------------------


def _agreement_form_page(request, *, form, parties, party_errors, agreement=None, mode):
    titles = {
        "create": _("Thêm văn bản phối hợp"),
        "edit": _("Sửa văn bản phối hợp"),
        "renew": _("Gia hạn, thay thế văn bản"),
    }
    context = {
        "form": form,
        "parties": parties,
        "party_errors": party_errors,
        "agreement": agreement,
        "mode": mode,
        "page_title": titles[mode],
    }
    return render(request, "agreements/agreement_form.html", context)


def _bound_forms(request, form_class, *, initial=None, party_data=None, extra=1):
    data = request.POST if request.method == "POST" else None
    form = form_class(data, user=request.user, initial=initial)
    # Posted rows stand on their own: compared with the stored parties, an unchanged
    # row would count as an empty extra row and drop out.
    parties = party_formset(
        user=request.user,
        data=data,
        initial=None if data else party_data,
        extra=0 if data else extra,
    )
    return form, parties


def _valid(form, parties) -> bool:
    # Both are validated, so every error shows at once.
    return all([form.is_valid(), parties.is_valid()])


@login_required
def agreement_create(request):
    _require_edit(request.user)
    form, parties = _bound_forms(request, NewAgreementForm, extra=3)
    party_errors: list[str] = []
    if request.method == "POST" and _valid(form, parties):
        try:
            agreement = services.agreement_create(
                user=request.user,
                data=form.agreement_input(parties.party_inputs()),
                in_force=not form.cleaned_data["draft"],
            )
        except ValidationError as error:
            apply_service_errors(error, form, {"parties": party_errors})
        else:
            messages.success(request, _("Đã lưu văn bản phối hợp."))
            return redirect("agreements:detail", pk=agreement.pk)
    return _agreement_form_page(
        request, form=form, parties=parties, party_errors=party_errors, mode="create"
    )


@login_required
def agreement_edit(request, pk):
    agreement = _scoped_agreement(request, pk, selectors.agreement_detail(Agreement.objects))
    _require_edit(request.user)
    form, parties = _bound_forms(
        request,
        AgreementForm,
        initial=AgreementForm.initial_from(agreement),
        party_data=party_initial(agreement),
    )
    party_errors: list[str] = []
    if request.method == "POST" and _valid(form, parties):
        try:
            services.agreement_update(
                agreement=agreement,
                user=request.user,
                data=form.agreement_input(parties.party_inputs()),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_service_errors(error, form, {"parties": party_errors})
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("agreements:detail", pk=agreement.pk)
    return _agreement_form_page(
        request,
        form=form,
        parties=parties,
        party_errors=party_errors,
        agreement=agreement,
        mode="edit",
    )


@login_required
def agreement_renew(request, pk):
    old = _scoped_agreement(request, pk, selectors.agreement_detail(Agreement.objects))
    _require_edit(request.user)
    initial = AgreementForm.initial_from(old)
    initial.pop("version")
    initial.update({"number": "", "signed_on": None, "valid_until": None})
    if old.valid_until:
        initial["valid_from"] = old.valid_until + datetime.timedelta(days=1)
    form, parties = _bound_forms(
        request, AgreementForm, initial=initial, party_data=party_initial(old)
    )
    party_errors: list[str] = []
    if request.method == "POST" and _valid(form, parties):
        try:
            new = services.agreement_renew(
                old=old, user=request.user, data=form.agreement_input(parties.party_inputs())
            )
        except ValidationError as error:
            apply_service_errors(error, form, {"parties": party_errors})
        else:
            messages.success(request, _("Đã ghi văn bản mới thay thế văn bản cũ."))
            return redirect("agreements:detail", pk=new.pk)
    return _agreement_form_page(
        request, form=form, parties=parties, party_errors=party_errors, agreement=old, mode="renew"
    )


# Status actions ----------------------------------------------------------------------


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def agreement_terminate(request, pk):
    agreement = _scoped_agreement(request, pk)
    _require_edit(request.user)
    form = TerminateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("agreements:detail", pk=pk)
    try:
        services.agreement_terminate(
            agreement=agreement,
            user=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            on=form.cleaned_data["on"],
        )
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Đã chấm dứt văn bản."))
    return redirect("agreements:detail", pk=pk)


@login_required
@require_POST
def agreement_activate(request, pk):
    agreement = _scoped_agreement(request, pk)
    _require_edit(request.user)
    try:
        services.agreement_activate(agreement=agreement, user=request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Văn bản đã có hiệu lực."))
    return redirect("agreements:detail", pk=pk)


# Attachments -------------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request, pk):
    agreement = _scoped_agreement(request, pk)
    if not request.user.has_perm("agreements.add_attachment"):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                user=request.user,
                uploaded_file=form.cleaned_data["file"],
                agreement=agreement,
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("Đã tải tệp lên."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("agreements:detail", pk=pk)


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = get_scoped_or_404(Attachment, request.user, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# Reviews -----------------------------------------------------------------------------


def _review_catalogue(agreement: Agreement, review: Review | None = None):
    indicators = list(Indicator.objects.order_by("order", "code"))
    areas = list(agreement.focus_areas.all())
    if review is not None:
        areas += [r.focus_area for r in review.focus_results.all() if r.focus_area not in areas]
    if not areas:
        areas = list(FocusArea.objects.all())
    areas.sort(key=lambda a: (a.order, a.code))
    return indicators, areas


def _review_form_page(request, *, form, agreement, review=None):
    context = {
        "form": form,
        "agreement": agreement,
        "review": review,
        "page_title": _("Sửa báo cáo sơ kết, tổng kết")
        if review
        else _("Thêm hội nghị sơ kết, tổng kết"),
    }
    return render(request, "agreements/review_form.html", context)


@login_required
def review_create(request, pk):
    agreement = _scoped_agreement(request, pk, Agreement.objects.prefetch_related("focus_areas"))
    _require_edit(request.user)
    indicators, areas = _review_catalogue(agreement)
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        agreement=agreement,
        indicators=indicators,
        focus_areas=areas,
        user=request.user,
        initial=ReviewForm.initial_for(agreement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                user=request.user,
                agreement=agreement,
                indicator_values=form.indicator_values(),
                focus_results=form.focus_results(),
                **form.review_fields(),
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("Đã lưu báo cáo sơ kết, tổng kết."))
            return redirect("agreements:review_detail", pk=review.pk)
    return _review_form_page(request, form=form, agreement=agreement)


def _scoped_review(request, pk) -> Review:
    return get_scoped_or_404(
        Review.objects.select_related(
            "agreement", "approved_by", "issuing_organization"
        ).prefetch_related(
            "agreement__focus_areas", "indicator_values__indicator", "focus_results__focus_area"
        ),
        request.user,
        pk=pk,
    )


@login_required
def review_edit(request, pk):
    review = _scoped_review(request, pk)
    _require_edit(request.user)
    agreement = review.agreement
    if review.status == Review.Status.APPROVED and not request.user.is_superuser:
        messages.error(request, _("Báo cáo đã được duyệt; chỉ quản trị viên mới có thể sửa."))
        return redirect("agreements:review_detail", pk=review.pk)
    indicators, areas = _review_catalogue(agreement, review)
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        instance=review,
        agreement=agreement,
        indicators=indicators,
        focus_areas=areas,
        user=request.user,
        initial=ReviewForm.initial_from(review),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(
                review=review,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                indicator_values=form.indicator_values(),
                focus_results=form.focus_results(),
                **form.review_fields(),
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("agreements:review_detail", pk=review.pk)
    return _review_form_page(request, form=form, agreement=agreement, review=review)


@login_required
@require_GET
def review_detail(request, pk):
    review = _scoped_review(request, pk)
    user = request.user
    context = {
        "review": review,
        "agreement": review.agreement,
        "indicator_values": review.indicator_values.all(),
        "focus_results": review.focus_results.all(),
        "sections": [
            (_("Đặc điểm tình hình"), review.situation),
            (_("Kết quả lãnh đạo, chỉ đạo"), review.results_leadership),
            (_("Hạn chế"), review.shortcomings),
            (_("Nguyên nhân"), review.causes),
            (_("Bài học kinh nghiệm"), review.lessons),
            (_("Phương hướng, nhiệm vụ, giải pháp"), review.directions),
            (_("Kiến nghị, đề xuất"), review.proposals),
        ],
        "can_edit": can_edit(user)
        and (review.status != Review.Status.APPROVED or user.is_superuser),
        "can_approve": can_approve(user) and review.status == Review.Status.DRAFT,
        "pdf_url": reverse("reports:review_pdf", args=[review.pk]),
        "preview_url": reverse("reports:review_preview", args=[review.pk]),
    }
    return render(request, "agreements/review_detail.html", context)


@login_required
@require_POST
def review_approve(request, pk):
    review = _scoped_review(request, pk)
    if not can_approve(request.user):
        raise PermissionDenied
    try:
        services.review_approve(review=review, user=request.user)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Đã duyệt báo cáo."))
    return redirect("agreements:review_detail", pk=review.pk)
