"""Issuing reports, the register of outgoing documents, and the issued PDFs as issued."""

from urllib.parse import quote

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents import selectors, services
from documents.forms import HeaderForm, IssueForm, SignedCopyForm
from documents.models import IssuedDocument, OrganizationHeader
from reports import selectors as report_selectors
from reports.views import _annual_query, _annual_scope, file_names
from units.files import open_stored
from units.models import Organization
from units.scoping import get_scoped_or_404, restrict

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _may_issue(user) -> bool:
    return user.is_superuser or user.has_perm("documents.issue_document")


def _issue_page(request, *, kind, title, draft_url, issue, back_url):
    if not _may_issue(request.user):
        raise PermissionDenied
    form = IssueForm(request.POST or None, user=request.user, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            document = issue(form.to_input())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request, _("Đã ban hành %(number)s.") % {"number": document.number_line}
            )
            return redirect("documents:detail", document.pk)
    context = {"form": form, "page_title": title, "draft_url": draft_url, "back_url": back_url}
    return render(request, "documents/issue_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_issue(request, pk: int):
    review = get_scoped_or_404(report_selectors.reviews_for_report(), request.user, pk=pk)
    return _issue_page(
        request,
        kind=IssuedDocument.Kind.REVIEW_SUMMARY,
        title=_("Ban hành báo cáo sơ kết, tổng kết"),
        draft_url=reverse("reports:review_preview", args=[review.pk]),
        back_url=reverse("agreements:review_detail", args=[review.pk]),
        issue=lambda data: services.review_summary_issue(
            user=request.user, review=review, data=data
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def annual_issue(request, year: int):
    province = _annual_scope(request, year)
    query = _annual_query(province)
    return _issue_page(
        request,
        kind=IssuedDocument.Kind.ANNUAL_SUMMARY,
        title=_("Ban hành báo cáo tổng hợp năm %(year)s") % {"year": year},
        draft_url=f"{reverse('reports:annual_preview', args=[year])}?{query}",
        back_url=reverse("agreements:dashboard"),
        issue=lambda data: services.annual_summary_issue(
            user=request.user, province=province, year=year, data=data
        ),
    )


@login_required
@require_GET
def register(request):
    """The register of outgoing documents in the user's scope, one issuing body or all."""
    documents = selectors.register_rows(request.user, request.GET.get("organization", ""))
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        return _export(documents, fmt)
    context = {
        "documents": documents,
        "issuers": selectors.issuers_with_documents(request.user),
        "chosen": request.GET.get("organization", ""),
    }
    return render(request, "documents/register.html", context)


def _export(documents, fmt: str) -> HttpResponse:
    dataset = tablib.Dataset(
        headers=[
            _("Cơ quan ban hành"),
            _("Số, ký hiệu"),
            _("Ngày ban hành"),
            _("Loại văn bản"),
            _("Trích yếu"),
            _("Người ký"),
            _("Thay thế"),
        ]
    )
    for document in documents:
        dataset.append(
            [
                document.organization.name,
                document.number_line,
                document.issued_on.strftime("%d/%m/%Y"),
                document.get_kind_display(),
                document.summary,
                document.signer_name,
                document.replaces.number_line if document.replaces else "",
            ]
        )
    response = HttpResponse(dataset.export(fmt), content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="so-van-ban-di.{fmt}"'
    return response


@login_required
@require_GET
def detail(request, pk: int):
    document = get_scoped_or_404(selectors.documents(), request.user, pk=pk)
    context = {
        "document": document,
        "corrections": list(document.corrections.all()),
        "signed_copies": list(document.signed_copies.select_related("uploaded_by")),
        "signed": selectors.valid_signed_copy(document),
        "form": SignedCopyForm(),
        "may_upload": _may_issue(request.user),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
@require_POST
def signed_copy_upload(request, pk: int):
    """Accept a signed copy of the document, validate it and show the result."""
    document = get_scoped_or_404(selectors.documents(), request.user, pk=pk)
    if not _may_issue(request.user):
        raise PermissionDenied
    form = SignedCopyForm(request.POST, request.FILES)
    if form.is_valid():
        copy = services.signed_copy_upload(
            user=request.user, document=document, data=form.cleaned_data["file"].read()
        )
        if copy.valid:
            messages.success(request, _("Bản đã ký số hợp lệ; từ nay tải về là bản này."))
        else:
            messages.error(
                request, _("Bản đã ký số không hợp lệ: %(why)s") % {"why": copy.problems}
            )
        return redirect("documents:detail", document.pk)
    context = {
        "document": document,
        "corrections": list(document.corrections.all()),
        "signed_copies": list(document.signed_copies.select_related("uploaded_by")),
        "signed": selectors.valid_signed_copy(document),
        "form": form,
        "may_upload": True,
    }
    return render(request, "documents/document_detail.html", context, status=400)


@login_required
@require_GET
def pdf(request, pk: int):
    """The PDF exactly as issued, from storage; later data changes never reach it."""
    document = get_scoped_or_404(selectors.documents(), request.user, pk=pk)
    name, ascii_name = file_names(
        "Báo cáo", document.number_line.removeprefix("Số").strip(" :"), str(document.year)
    )
    response = FileResponse(
        open_stored(selectors.served_file(document)), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def header_edit(request, organization_pk: int):
    """The header lines an organization's documents print (data-entry staff and admins)."""
    organization = get_scoped_or_404(Organization, request.user, pk=organization_pk)
    if not (request.user.is_superuser or request.user.has_perm("units.change_organization")):
        raise PermissionDenied
    header = (
        restrict(OrganizationHeader.objects.all(), request.user)
        .filter(organization=organization)
        .order_by("-valid_from", "-id")
        .first()
    )
    profile = report_selectors.profiles.profile_for(organization.kind)
    if header is None:
        superior, own = report_selectors.default_header_lines(organization, profile)
        initial = {
            "superior_lines": "\n".join(superior),
            "own_lines": "\n".join(own),
            "abbreviation": report_selectors.default_abbreviation(organization),
        }
        form = HeaderForm(request.POST or None, initial=initial)
    else:
        form = HeaderForm(request.POST or None, instance=header)
    if request.method == "POST" and form.is_valid():
        try:
            services.header_save(
                user=request.user,
                organization=organization,
                header=header,
                **form.cleaned_data,
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã lưu tiêu đề văn bản."))
            return redirect("registry:organizations_detail", organization.pk)
    context = {"form": form, "organization": organization}
    return render(request, "documents/header_form.html", context)
