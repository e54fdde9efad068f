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
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements import selectors, services
from agreements.coverage import facts as coverage_facts
from agreements.coverage import map_points
from agreements.coverage_map import coverage_map as build_coverage_map
from agreements.forms import (
    AgreementForm,
    AttachmentForm,
    ConfirmForm,
    EditAgreementForm,
    NewAgreementForm,
    ReviewForm,
    TerminateForm,
    TerminationUndoForm,
    apply_service_errors,
    party_formset,
    party_initial,
)
from agreements.models import Agreement, Attachment, FocusArea, Indicator, Review
from deadlines import selectors as deadlines_selectors
from reports.views import NATIONAL as NATIONAL_REPORT_SCOPE
from units.files import open_stored
from units.models import AdministrativeUnit
from units.roles import can_approve, can_edit
from units.scoping import get_scoped_or_404, scope_of, viewable
from units.text import search

AUTOCOMPLETE_LIMIT = 20
EXPIRING_MONTHS = 6
EXPIRING_SHOWN = 10
DASHBOARD_CACHE_SECONDS = 300


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
    known = coverage_facts(today)
    coverage = selectors.coverage_table(known=known)
    empty = selectors.Coverage(0, 0, 0, 0)
    provinces = (
        AdministrativeUnit.objects.current(today).provinces().filter(is_border=True)
        if scope.everything
        else AdministrativeUnit.objects.none()
    )
    # The scope's code as the annual summary takes it: "national" or a GSO code.
    coverage_map = None
    if scope.everything:
        own_coverage, scope_code = coverage[None], NATIONAL_REPORT_SCOPE
        coverage_map = build_coverage_map(map_points(known))
    elif scope.province_id:
        own_coverage = coverage.get(scope.province_id, empty)
        province = AdministrativeUnit.objects.filter(pk=scope.province_id).first()
        scope_code = province.code if province else None
        if province is not None:
            coverage_map = build_coverage_map(map_points(known, province))
    else:
        own_coverage, scope_code = None, None
    return {
        "scope_code": scope_code,
        "in_force": [{"kind": kind, "count": count} for kind, count in by_kind.items()],
        "reviews_this_year": deadlines_selectors.review_due_status(
            agreements, year=today.year, today=today
        ),
        "reviews_last_year": deadlines_selectors.review_due_status(
            agreements, year=today.year - 1, today=today
        ),
        "completeness": deadlines_selectors.completeness(
            agreements, year=today.year - 1, today=today
        )[0],
        "expiring_count": expiring.count(),
        "expiring": list(
            expiring.values("pk", "title", "valid_until", "province__name")[:EXPIRING_SHOWN]
        ),
        "coverage": own_coverage,
        "coverage_map": coverage_map,
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
    stamp = selectors.data_stamp(None if scope.everything else scope.province_id)
    key = f"dashboard:{scope.everything}:{scope.province_id}:{today}:{stamp}"
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
        **deadlines_selectors.dashboard_summary(user, today=today),
    }
    return render(request, "agreements/dashboard.html", context)


# List and exports: the generic registry views (agreements/objects.py) -----------------


def list_context(request, table, filterset) -> dict:
    """What the agreement list shows beyond the generic list: its rows for the row
    template, and the import link for those who may import."""
    return {
        # Lazy: a list served from the cache builds no table.
        "agreements": SimpleLazyObject(lambda: table.page.object_list.data if table.page else []),
        "page": SimpleLazyObject(lambda: table.page),
        "can_edit": can_edit(request.user),
        "import_url": reverse("agreements:import_start") if can_edit(request.user) else None,
        "search_label": _("Tìm theo tên, số hiệu (không cần dấu)"),
    }


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


def detail_context(request, agreement: Agreement) -> dict:
    """The agreement page's own blocks, beside the generic detail's tabs and actions."""
    user = request.user
    reviews = list(agreement.reviews.all())
    for review in reviews:
        review.pdf_url = reverse("reports:review_pdf", args=[review.pk])
        review.preview_url = reverse("reports:review_preview", args=[review.pk])
    files = list(agreement.attachments.all())
    status = agreement.status
    supersedes = list(agreement.supersedes.all())
    superseded_by = list(agreement.superseded_by.all())
    context = {
        "agreement": agreement,
        "parties": agreement.parties.all(),
        "reviews": reviews,
        "attachments": [f for f in files if f.removed_at is None],
        "removed_attachments": [f for f in files if f.removed_at is not None],
        "history": _status_history(agreement),
        "supersedes": supersedes,
        "superseded_by": superseded_by,
        # Another province's agreement is named, not linked: its page would be a 404.
        "viewable": viewable(user, supersedes + superseded_by),
        "can_edit": can_edit(user),
        "can_approve": can_approve(user),
        "can_renew": can_edit(user)
        and status in (Agreement.Status.IN_FORCE, Agreement.Status.EXPIRED),
        "can_terminate": can_edit(user) and status == Agreement.Status.IN_FORCE,
        "can_undo_termination": user.is_superuser and status == Agreement.Status.TERMINATED,
        "can_activate": can_edit(user) and status == Agreement.Status.DRAFT,
        "can_delete": can_edit(user) and status == Agreement.Status.DRAFT,
        "can_change": can_edit(user) and not agreement.is_locked_status,
        "can_review": can_edit(user) and status != Agreement.Status.DRAFT,
        "can_change_files": can_edit(user),
        "attachment_form": AttachmentForm(),
    }
    return context


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
    files = request.FILES if request.method == "POST" else None
    form = form_class(data, files, user=request.user, initial=initial)
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
        data = form.agreement_input(parties.party_inputs())
        in_force = not form.cleaned_data["draft"]
        scan = form.cleaned_data["scan"]
        try:
            if scan:
                agreement = services.agreement_create_with_scan(
                    user=request.user,
                    data=data,
                    in_force=in_force,
                    scan=scan,
                    description=form.cleaned_data["scan_description"],
                )
            else:
                agreement = services.agreement_create(
                    user=request.user, data=data, in_force=in_force
                )
        except ValidationError as error:
            apply_service_errors(error, form, {"parties": party_errors}, aliases={"file": "scan"})
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
        EditAgreementForm,
        initial=EditAgreementForm.initial_from(agreement),
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
    initial.update(
        {
            "number": "",
            "signed_on": None,
            "valid_until": None,
            "period_start_year": None,
            "period_end_year": None,
            "supersedes": [old.pk],
        }
    )
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


def _confirm_page(request, *, form, title, target, changes, submit, back, danger=False, note=""):
    """The page a final action shows first: what will change, then one POST to do it."""
    context = {
        "form": form,
        "page_title": title,
        "target": target,
        "changes": changes,
        "submit_label": submit,
        "back_url": back,
        "danger": danger,
        "note": note,
    }
    return render(request, "agreements/confirm.html", context)


def _status_change(agreement: Agreement, target) -> tuple:
    return (_("Trạng thái"), agreement.get_status_display(), target.label)


def _superseded_changes(agreement: Agreement) -> list[tuple]:
    """The agreements this one will supersede when it comes into force."""
    ending = agreement.supersedes.filter(
        status__in=[Agreement.Status.IN_FORCE, Agreement.Status.EXPIRED]
    )
    return [
        (str(old), old.get_status_display(), Agreement.Status.SUPERSEDED.label) for old in ending
    ]


@login_required
@require_http_methods(["GET", "POST"])
def agreement_terminate(request, pk):
    agreement = _scoped_agreement(request, pk)
    _require_edit(request.user)
    if agreement.status != Agreement.Status.IN_FORCE:
        messages.error(request, _("Chỉ văn bản đang có hiệu lực mới có thể chấm dứt."))
        return redirect("agreements:detail", pk=pk)
    form = TerminateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_terminate(
                agreement=agreement,
                user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            apply_service_errors(
                error, form, aliases={"termination_reason": "reason", "ended_on": "on"}
            )
        else:
            messages.success(request, _("Đã chấm dứt văn bản."))
            return redirect("agreements:detail", pk=pk)
    return _confirm_page(
        request,
        form=form,
        title=_("Chấm dứt văn bản"),
        target=agreement,
        changes=[_status_change(agreement, Agreement.Status.TERMINATED)],
        note=_(
            "Văn bản thôi hiệu lực từ ngày chấm dứt; nội dung của nó không thể sửa sau đó. "
            "Chỉ quản trị viên có thể hủy việc chấm dứt."
        ),
        submit=_("Chấm dứt văn bản"),
        back=reverse("agreements:detail", args=[pk]),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_termination_undo(request, pk):
    agreement = _scoped_agreement(request, pk)
    if not request.user.is_superuser:
        raise PermissionDenied
    if agreement.status != Agreement.Status.TERMINATED:
        messages.error(request, _("Văn bản không ở trạng thái chấm dứt."))
        return redirect("agreements:detail", pk=pk)
    form = TerminationUndoForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_termination_undo(
                agreement=agreement, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("Đã hủy việc chấm dứt văn bản."))
            return redirect("agreements:detail", pk=pk)
    back_to = (
        Agreement.Status.EXPIRED
        if agreement.valid_until and agreement.valid_until < timezone.localdate()
        else Agreement.Status.IN_FORCE
    )
    return _confirm_page(
        request,
        form=form,
        title=_("Hủy việc chấm dứt văn bản"),
        target=agreement,
        changes=[
            _status_change(agreement, back_to),
            (
                _("Lý do chấm dứt"),
                agreement.get_termination_reason_display(),
                "—",
            ),
        ],
        submit=_("Hủy việc chấm dứt"),
        back=reverse("agreements:detail", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_activate(request, pk):
    agreement = _scoped_agreement(request, pk)
    _require_edit(request.user)
    if agreement.status != Agreement.Status.DRAFT:
        messages.error(request, _("Chỉ văn bản dự thảo mới có thể ghi nhận có hiệu lực."))
        return redirect("agreements:detail", pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_activate(agreement=agreement, user=request.user)
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("Văn bản đã có hiệu lực."))
            return redirect("agreements:detail", pk=pk)
    return _confirm_page(
        request,
        form=form,
        title=_("Ghi nhận văn bản đã ký, có hiệu lực"),
        target=agreement,
        changes=[
            _status_change(agreement, Agreement.Status.IN_FORCE),
            *_superseded_changes(agreement),
        ],
        submit=_("Ghi nhận có hiệu lực"),
        back=reverse("agreements:detail", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_delete(request, pk):
    agreement = _scoped_agreement(request, pk)
    _require_edit(request.user)
    if agreement.status != Agreement.Status.DRAFT:
        messages.error(request, _("Chỉ có thể xóa văn bản còn là dự thảo."))
        return redirect("agreements:detail", pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_delete(agreement=agreement, user=request.user)
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("Đã xóa văn bản dự thảo."))
            return redirect("agreements:list")
    return _confirm_page(
        request,
        form=form,
        title=_("Xóa văn bản dự thảo"),
        target=agreement,
        changes=[],
        note=_(
            "Văn bản dự thảo, các bên ký kết và tệp đính kèm của nó bị xóa khỏi danh sách; "
            "lịch sử thay đổi vẫn được lưu."
        ),
        submit=_("Xóa văn bản"),
        back=reverse("agreements:detail", args=[pk]),
        danger=True,
    )


@login_required
@require_GET
def agreement_autocomplete(request):
    """Signed agreements the user may see, by number or words of their title."""
    agreements = Agreement.objects.restrict(request.user).exclude(status=Agreement.Status.DRAFT)
    query = request.GET.get("q", "")
    if query.strip():
        agreements = search(agreements, query)
    agreements = agreements.select_related("province").order_by("-valid_from", "-id")[
        :AUTOCOMPLETE_LIMIT
    ]
    results = [
        {
            "id": agreement.pk,
            "text": str(agreement),
            "detail": ", ".join(
                part
                for part in (
                    agreement.get_status_display(),
                    agreement.period_label,
                    agreement.province.name if agreement.province else "",
                )
                if part
            ),
        }
        for agreement in agreements
    ]
    return JsonResponse({"results": results})


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


def _attachment_owner_url(attachment: Attachment) -> str:
    if attachment.agreement_id:
        return reverse("agreements:detail", args=[attachment.agreement_id])
    return reverse("agreements:review_detail", args=[attachment.review_id])


def _changeable_attachment(request, pk) -> Attachment:
    attachment = get_scoped_or_404(
        Attachment.objects.select_related("agreement", "review"), request.user, pk=pk
    )
    _require_edit(request.user)
    return attachment


@login_required
@require_http_methods(["GET", "POST"])
def attachment_remove(request, pk):
    attachment = _changeable_attachment(request, pk)
    back = _attachment_owner_url(attachment)
    if attachment.removed_at is not None:
        messages.error(request, _("Tệp này đã được gỡ bỏ."))
        return redirect(back)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_remove(attachment=attachment, user=request.user)
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("Đã gỡ tệp; tệp vẫn xem được trong lịch sử."))
            return redirect(back)
    return _confirm_page(
        request,
        form=form,
        title=_("Gỡ tệp đính kèm"),
        target=attachment,
        changes=[],
        note=_(
            "Tệp không còn hiện trong danh sách tệp đính kèm nhưng vẫn được lưu và tải được "
            "từ mục tệp đã gỡ."
        ),
        submit=_("Gỡ tệp"),
        back=back,
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_replace(request, pk):
    attachment = _changeable_attachment(request, pk)
    back = _attachment_owner_url(attachment)
    if attachment.removed_at is not None:
        messages.error(request, _("Tệp này đã được gỡ bỏ."))
        return redirect(back)
    form = AttachmentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"description": attachment.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_replace(
                attachment=attachment,
                user=request.user,
                uploaded_file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("Đã thay tệp; tệp cũ vẫn xem được trong lịch sử."))
            return redirect(back)
    return _confirm_page(
        request,
        form=form,
        title=_("Thay tệp đính kèm"),
        target=attachment,
        changes=[],
        note=_("Tệp cũ được gỡ khỏi danh sách nhưng vẫn được lưu và tải được từ mục tệp đã gỡ."),
        submit=_("Thay tệp"),
        back=back,
    )


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = get_scoped_or_404(Attachment, request.user, pk=pk)
    return FileResponse(
        open_stored(attachment.file),
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
    return get_scoped_or_404(review_queryset(), request.user, pk=pk)


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


def review_queryset():
    return Review.objects.select_related(
        "agreement", "approved_by", "issuing_organization"
    ).prefetch_related(
        "agreement__focus_areas", "indicator_values__indicator", "focus_results__focus_area"
    )


def review_detail_context(request, review: Review) -> dict:
    """The review page's own blocks, beside the generic detail's tabs and actions."""
    user = request.user
    return {
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
        "can_delete": can_edit(user) and review.status == Review.Status.DRAFT,
        "pdf_url": reverse("reports:review_pdf", args=[review.pk]),
        "preview_url": reverse("reports:review_preview", args=[review.pk]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def review_approve(request, pk):
    review = _scoped_review(request, pk)
    if not can_approve(request.user):
        raise PermissionDenied
    if review.status != Review.Status.DRAFT:
        messages.error(request, _("Báo cáo này đã được duyệt."))
        return redirect("agreements:review_detail", pk=review.pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_approve(review=review, user=request.user)
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("Đã duyệt báo cáo."))
            return redirect("agreements:review_detail", pk=review.pk)
    return _confirm_page(
        request,
        form=form,
        title=_("Duyệt báo cáo sơ kết, tổng kết"),
        target=review,
        changes=[
            (
                _("Trạng thái"),
                review.get_status_display(),
                Review.Status.APPROVED.label,
            )
        ],
        note=_("Sau khi duyệt, chỉ quản trị viên mới có thể sửa báo cáo."),
        submit=_("Duyệt báo cáo"),
        back=reverse("agreements:review_detail", args=[review.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_delete(request, pk):
    review = _scoped_review(request, pk)
    _require_edit(request.user)
    if review.status != Review.Status.DRAFT:
        messages.error(request, _("Chỉ có thể xóa báo cáo chưa được duyệt."))
        return redirect("agreements:review_detail", pk=review.pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_delete(review=review, user=request.user)
        except ValidationError as error:
            apply_service_errors(error, form)
        else:
            messages.success(request, _("Đã xóa báo cáo dự thảo."))
            return redirect("agreements:detail", pk=review.agreement_id)
    return _confirm_page(
        request,
        form=form,
        title=_("Xóa báo cáo sơ kết, tổng kết"),
        target=review,
        changes=[],
        note=_(
            "Báo cáo, các chỉ tiêu và kết quả của nó bị xóa và không còn được cộng vào "
            "báo cáo tổng hợp; lịch sử thay đổi vẫn được lưu."
        ),
        submit=_("Xóa báo cáo"),
        back=reverse("agreements:review_detail", args=[review.pk]),
        danger=True,
    )
