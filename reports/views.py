"""Report downloads and previews: fetch in scope, gather, render; nothing else."""

import unicodedata
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from jobs.services import job_submit
from reports import profiles, renderer, selectors
from units.models import AdministrativeUnit
from units.scoping import get_scoped_or_404, scope_of
from units.text import nfc

REVIEW_TEMPLATE = "reports/review_summary.html"
ANNUAL_TEMPLATE = "reports/annual_summary.html"
NATIONAL = "national"
FIRST_YEAR = 2000


def file_names(*parts: str) -> tuple[str, str]:
    """The download name in Vietnamese and its ASCII fallback, words joined by "-"."""
    words = " ".join(nfc(part) for part in parts if part)
    words = "".join(ch if ch.isalnum() else " " for ch in words).split()
    name = "-".join(words)
    ascii_name = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    return f"{name}.pdf", f"{ascii_name}.pdf"


def pdf_response(cached: renderer.CachedPdf, name: str, ascii_name: str) -> FileResponse:
    response = FileResponse(cached.file, content_type="application/pdf")
    # RFC 6266: an ASCII fallback for old clients, then the UTF-8 name (RFC 5987).
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def _review(request, pk: int):
    review = get_scoped_or_404(selectors.reviews_for_report(), request.user, pk=pk)
    return review, selectors.review_summary_data(review)


@login_required
@require_GET
def review_pdf(request, pk: int):
    review, data = _review(request, pk)
    cached = renderer.cached_pdf(REVIEW_TEMPLATE, data, name=f"review-{review.pk}")
    template = profiles.REVIEW_KIND_PHRASES[review.kind]
    phrase = template.format(year=review.year)
    if "{year}" not in template:
        phrase = f"{phrase} {review.year}"
    agreement = review.agreement
    names = file_names(profiles.REVIEW_FILE_WORDS, phrase, agreement.number or agreement.title[:60])
    return pdf_response(cached, *names)


@login_required
@require_GET
def review_preview(request, pk: int):
    review, data = _review(request, pk)
    html = renderer.render_html(
        REVIEW_TEMPLATE,
        data,
        preview=True,
        extra={
            "pdf_url": reverse("reports:review_pdf", args=[review.pk]),
            # The preview's one inline <style> (the profile's layout numbers) is allowed
            # by the Content-Security-Policy through this request's nonce.
            "csp_nonce": request.csp_nonce,
        },
    )
    return HttpResponse(html)


def _annual_scope(request, year: int) -> AdministrativeUnit | None:
    """The province asked for (None for national), or a 404 if outside the user's scope."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    scope = scope_of(request.user)
    code = request.GET.get("province", "")
    provinces = AdministrativeUnit.objects.provinces()
    if scope.everything:
        if code in ("", NATIONAL):
            return None
        return get_object_or_404(provinces.current(), code=code)
    if scope.province_id is None or code == NATIONAL:
        raise Http404
    province = get_object_or_404(provinces, pk=scope.province_id)
    if code and code != province.code:
        raise Http404
    return province


def _annual_query(province: AdministrativeUnit | None) -> str:
    return urlencode({"province": province.code if province else NATIONAL})


@login_required
@require_GET
def annual_pdf(request, year: int):
    province = _annual_scope(request, year)
    code, scope_name = selectors.scope_label(province)
    stamp = selectors.annual_summary_stamp(province, year)
    name = f"annual-{year}-{code}"
    cached = renderer.cached_pdf_stamped_hit(ANNUAL_TEMPLATE, stamp=stamp, name=name)
    if cached is None and selectors.annual_summary_is_long(province):
        # Rendering takes seconds per hundred agreements: a background job does it.
        job = job_submit(
            once=True,
            user=request.user,
            kind="annual_pdf",
            title=gettext("Báo cáo tổng hợp năm %(year)s: %(scope)s")
            % {"year": year, "scope": scope_name},
            params={"year": year, "province": province.pk if province else None},
        )
        return redirect("jobs:detail", job.pk)
    if cached is None:
        cached = renderer.cached_pdf_stamped(
            ANNUAL_TEMPLATE,
            stamp=stamp,
            name=name,
            gather=lambda: selectors.annual_summary_data(province, year),
        )
    return pdf_response(cached, *file_names(profiles.ANNUAL_FILE_WORDS, str(year), scope_name))


@login_required
@require_GET
def annual_preview(request, year: int):
    province = _annual_scope(request, year)
    data = selectors.annual_summary_data(province, year)
    pdf_url = f"{reverse('reports:annual_pdf', args=[year])}?{_annual_query(province)}"
    html = renderer.render_html(
        ANNUAL_TEMPLATE,
        data,
        preview=True,
        extra={"pdf_url": pdf_url, "csp_nonce": request.csp_nonce},
    )
    return HttpResponse(html)


@login_required
@require_POST
def annual_batch(request, year: int):
    """Every scope's annual summary in one ZIP, as a background job: national staff only."""
    if not scope_of(request.user).everything or not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    job = job_submit(
        once=True,
        user=request.user,
        kind="annual_batch",
        title=gettext("Báo cáo tổng hợp năm %(year)s của mọi phạm vi (ZIP)") % {"year": year},
        params={"year": year},
    )
    return redirect("jobs:detail", job.pk)
