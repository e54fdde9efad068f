"""Demo issued documents: Huế's 2025 annual summary and review summaries of party committees.

Everything goes through documents.services, as an office would issue it; loading again
issues nothing twice.
"""

import datetime

from django.db import transaction

from agreements.models import Review
from documents.models import IssuedDocument, OrganizationHeader, PartyTerm
from documents.services import IssueInput, annual_summary_issue, header_save, review_summary_issue
from units.models import AdministrativeUnit, Organization

D = datetime.date
# Party committees' term 2020–2025 began with the congresses of October 2020.
TERM_STARTS = D(2020, 10, 15)
HUE_HEADER = {
    "superior_lines": "BỘ CHỈ HUY QUÂN SỰ\nTHÀNH PHỐ HUẾ",
    "own_lines": "BAN CHỈ HUY\nBỘ ĐỘI BIÊN PHÒNG",
    "abbreviation": "BCH",
}
# Province codes whose Border Guard party committees issue their 2025 review summary.
PARTY_ISSUERS = ("46", "20")


@transaction.atomic
def load_issued_documents(*, admin) -> int:
    """Issue the demo documents not issued yet; returns how many were issued now."""
    for organization in Organization.objects.filter(
        kind=Organization.Kind.BORDER_GUARD_PARTY_COMMITTEE, code__startswith="DU-"
    ):
        PartyTerm.objects.get_or_create(organization=organization, starts_on=TERM_STARTS)
    hue_command = Organization.objects.get(code="BCH-46")
    if not OrganizationHeader.objects.filter(organization=hue_command).exists():
        header_save(user=admin, organization=hue_command, valid_from=D(2025, 7, 1), **HUE_HEADER)

    issued = 0
    if not IssuedDocument.objects.filter(
        organization=hue_command, kind=IssuedDocument.Kind.ANNUAL_SUMMARY, year=2025
    ).exists():
        annual_summary_issue(
            user=admin,
            province=AdministrativeUnit.objects.get(code="46", valid_until__isnull=True),
            year=2025,
            data=IssueInput(
                organization=hue_command,
                issued_on=D(2026, 1, 5),
                signer_name="Lê Văn Bình",
                signing_capacity="",
                signer_title="CHỈ HUY TRƯỞNG",
                recipients="Bộ Tư lệnh Bộ đội Biên phòng (để báo cáo)\nỦy ban nhân dân thành phố Huế",
                drafting_unit="TM",
            ),
        )
        issued += 1
    for code in PARTY_ISSUERS:
        committee = Organization.objects.get(code=f"DU-BCH-{code}")
        review = (
            Review.objects.filter(issuing_organization=committee, year=2025, kind="annual")
            .select_related("agreement__province", "issuing_organization__area")
            .order_by("id")
            .first()
        )
        if review is None or review.issued_documents.exists():
            continue
        review_summary_issue(
            user=admin,
            review=review,
            data=IssueInput(
                organization=committee,
                issued_on=D(2026, 1, 20),
                signer_name="Nguyễn Văn An",
                signing_capacity="T/M",
                signer_title="BÍ THƯ",
                recipients="Đảng ủy Bộ đội Biên phòng\nBan Thường vụ Tỉnh ủy",
            ),
        )
        issued += 1
    return issued
