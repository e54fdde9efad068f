"""Writes of outgoing documents: header lines, and issuing a report with its number."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import Review
from documents import signatures
from documents.models import (
    IssuedDocument,
    OrganizationHeader,
    PartyTerm,
    RegisterCounter,
    SignedCopy,
    TrustRoot,
)
from reports import profiles, renderer, selectors
from reports.headers import fits
from units.files import open_stored
from units.models import AdministrativeUnit, Organization
from units.scoping import restrict

REVIEW_TEMPLATE = "reports/review_summary.html"
ANNUAL_TEMPLATE = "reports/annual_summary.html"


def header_save(
    *,
    user,
    organization: Organization,
    header: OrganizationHeader | None = None,
    superior_lines: str,
    own_lines: str,
    abbreviation: str,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> OrganizationHeader:
    """Record (or correct) the header lines `organization` prints over a period.

    Each line must fit its column in the profile's size: a line that does not would
    wrap, and a wrap in a capitalised name lands inside a word.
    """
    if not restrict(Organization.objects.filter(pk=organization.pk), user).exists():
        raise PermissionDenied
    header = header or OrganizationHeader(organization=organization)
    header.superior_lines = "\n".join(_lines(superior_lines))
    header.own_lines = "\n".join(_lines(own_lines))
    header.abbreviation = abbreviation.strip()
    header.valid_from = valid_from
    header.valid_until = valid_until
    profile = profiles.profile_for(organization.kind)
    errors = {}
    for field, bold in (("superior_lines", False), ("own_lines", True)):
        too_long = [
            line for line in _lines(getattr(header, field)) if not fits(line, profile, bold=bold)
        ]
        if too_long:
            errors[field] = _(
                "Dòng quá dài so với cột tiêu đề, hãy ngắt thành hai dòng: %(line)s"
            ) % {"line": too_long[0]}
    if errors:
        raise ValidationError(errors)
    header.full_clean()
    header.save()
    return header


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()).upper() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class IssueInput:
    """What the office (văn thư) enters when it issues a report."""

    organization: Organization
    issued_on: datetime.date
    signer_name: str
    signing_capacity: str
    signer_title: str
    recipients: str = ""
    drafting_unit: str = ""
    replaces: IssuedDocument | None = None


def register_series(
    organization: Organization, profile: profiles.DocumentProfile, on: datetime.date, doc_type: str
) -> str:
    """The register series a number is taken from: the year (state), or term and type (party)."""
    if profile is profiles.STATE:
        return str(on.year)
    term = (
        PartyTerm.objects.filter(organization=organization, starts_on__lte=on)
        .order_by("-starts_on")
        .first()
    )
    if term is None:
        raise ValidationError(
            _("Chưa có ngày bắt đầu nhiệm kỳ của %(name)s: không thể cho số văn bản Đảng.")
            % {"name": organization.name}
        )
    return f"{term.starts_on.isoformat()}/{doc_type}"


def _check(user, data: IssueInput, profile: profiles.DocumentProfile) -> None:
    if not (user.is_superuser or user.has_perm("documents.issue_document")):
        raise PermissionDenied
    if not user.is_superuser and user.organization_id != data.organization.pk:
        raise PermissionDenied
    if not restrict(Organization.objects.filter(pk=data.organization.pk), user).exists():
        raise PermissionDenied
    errors = {}
    if data.signing_capacity and data.signing_capacity not in profile.capacities:
        errors["signing_capacity"] = _("Thẩm quyền ký không thuộc thể thức của văn bản này.")
    if data.signer_title not in profile.titles:
        errors["signer_title"] = _("Chức vụ người ký không thuộc thể thức của văn bản này.")
    if profile is profiles.PARTY and data.signing_capacity != profile.collective_prefix:
        errors["signing_capacity"] = _("Cấp ủy ký tập thể (T/M), không ký thay (K/T).")
    if not data.signer_name.strip():
        errors["signer_name"] = _("Nhập họ tên người ký.")
    parent_lines, _own = selectors.header_lines(data.organization, profile, data.issued_on)
    if profile is profiles.PARTY and not parent_lines:
        errors["organization"] = _(
            "Cấp ủy chưa có dòng tên cấp ủy cấp trên trong tiêu đề văn bản; "
            "hãy nhập tiêu đề trước khi ban hành."
        )
    if errors:
        raise ValidationError(errors)


def _take_number(organization: Organization, series: str) -> int:
    """The next number of the series, the counter row locked until the issue commits."""
    RegisterCounter.objects.get_or_create(organization=organization, series=series)
    counter = RegisterCounter.objects.select_for_update().get(
        organization=organization, series=series
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def _issue(
    *,
    user,
    data: IssueInput,
    kind: str,
    year: int,
    province: AdministrativeUnit | None,
    review: Review | None,
    summary_of,
    render,
) -> IssuedDocument:
    profile = profiles.profile_for(data.organization.kind)
    _check(user, data, profile)
    if data.replaces is not None and data.replaces.organization_id != data.organization.pk:
        raise ValidationError({"replaces": _("Chỉ thay thế văn bản của chính cơ quan này.")})
    doc_type = "BC"
    series = register_series(data.organization, profile, data.issued_on, doc_type)
    # The counter stays locked while the PDF renders: the number is printed in it, and a
    # failed render must give the number back (the rollback does) rather than leave a gap.
    number = _take_number(data.organization, series)
    symbol = selectors.document_symbol(
        profile, selectors.abbreviation(data.organization, data.issued_on), doc_type
    )
    issue = selectors.Issue(
        organization=data.organization,
        number_line=profile.number_line(number, symbol),
        issued_on=data.issued_on,
        signer_name=" ".join(data.signer_name.split()),
        signature_lines=selectors.issued_signature_lines(
            profile, data.organization, data.signing_capacity, data.signer_title
        ),
        recipients=selectors.recipient_lines(data.recipients, profile, data.drafting_unit),
    )
    report = summary_of(issue)
    document = IssuedDocument(
        organization=data.organization,
        kind=kind,
        doc_type=doc_type,
        series=series,
        number=number,
        symbol=symbol,
        number_line=issue.number_line,
        issued_on=data.issued_on,
        summary=report.head.summary[:500],
        year=year,
        province=province,
        review=review,
        signer_name=issue.signer_name,
        signing_capacity=data.signing_capacity,
        signer_title=data.signer_title,
        recipients=data.recipients.strip(),
        drafting_unit=data.drafting_unit.strip(),
        replaces=data.replaces,
        issued_by=user,
    )
    document.pdf.save(f"{kind}-{number:02d}.pdf", ContentFile(render(report)), save=False)
    try:
        document.full_clean()
    except ValidationError:
        document.pdf.delete(save=False)
        raise
    # A failed commit after this point leaves an unreferenced file, never a number
    # pointing at no file.
    document.save()
    return document


def review_summary_issue(*, user, review: Review, data: IssueInput) -> IssuedDocument:
    """Issue a review's summary: number, date and signer fixed, the PDF stored as issued."""
    if not restrict(Review.objects.filter(pk=review.pk), user).exists():
        raise PermissionDenied
    return _issue(
        user=user,
        data=data,
        kind=IssuedDocument.Kind.REVIEW_SUMMARY,
        year=review.year,
        province=review.agreement.province,
        review=review,
        summary_of=lambda issue: selectors.review_summary_data(review, issue),
        render=lambda report: renderer.render_pdf(REVIEW_TEMPLATE, report),
    )


def annual_summary_issue(
    *, user, province: AdministrativeUnit | None, year: int, data: IssueInput
) -> IssuedDocument:
    """Issue the annual summary of a province (None: the whole country) for `year`."""
    return _issue(
        user=user,
        data=data,
        kind=IssuedDocument.Kind.ANNUAL_SUMMARY,
        year=year,
        province=province,
        review=None,
        summary_of=lambda issue: selectors.annual_summary_data(
            province, year, today=data.issued_on, issue=issue
        ),
        render=lambda report: renderer.render_pdf(ANNUAL_TEMPLATE, report),
    )


def trust_root_install(*, user, name: str, data: bytes) -> TrustRoot:
    """Install a CA certificate (PEM or DER) signed copies may chain to. Admins only."""
    if not user.is_superuser:
        raise PermissionDenied
    try:
        certificate = signatures.load_certificate(data)
    except signatures.CertificateError as error:
        raise ValidationError(
            {"certificate": _("Tệp không phải chứng thư số X.509 (PEM hoặc DER).")}
        ) from error
    root = TrustRoot(
        name=name.strip() or certificate.subject.human_friendly[:200],
        certificate=certificate.dump(),
        subject=certificate.subject.human_friendly[:500],
        is_root=certificate.self_signed == "maybe" or bool(certificate.self_signed),
    )
    root.full_clean()
    root.save()
    return root


@transaction.atomic
def signed_copy_upload(*, user, document: IssuedDocument, data: bytes) -> SignedCopy:
    """Validate a signed copy of `document` and keep it with what validating it found.

    Kept whatever the result, so the office sees why a copy was not accepted; only a
    valid one is served in place of the issued PDF (documents.selectors.served_file).
    """
    if not (user.is_superuser or user.has_perm("documents.issue_document")):
        raise PermissionDenied
    if not restrict(IssuedDocument.objects.filter(pk=document.pk), user).exists():
        raise PermissionDenied
    with open_stored(document.pdf) as issued:
        issued_bytes = issued.read()
    roots = [bytes(der) for der in TrustRoot.objects.values_list("certificate", flat=True)]
    check = signatures.check_signed_pdf(data, issued_bytes, roots)
    copy = SignedCopy(
        document=document,
        uploaded_by=user,
        has_signature=check.has_signature,
        intact=check.intact,
        covers_whole=check.covers_whole,
        same_document=check.same_document,
        trusted=check.trusted,
        signer_name=check.signer_name[:300],
        certificate_subject=check.certificate_subject[:500],
        certificate_issuer=check.certificate_issuer[:500],
        signed_at=check.signed_at,
        revocation=check.revocation,
        problems="\n".join(check.problems),
    )
    copy.file.save(f"signed-{document.number:02d}.pdf", ContentFile(data), save=False)
    copy.full_clean()
    copy.save()
    return copy
