"""export_agreements: the list page's XLSX and CSV export of a scoped queryset."""

import io

import openpyxl
import pytest

from agreements.models import Agreement
from agreements.resources import export_agreements
from units.scoping import restrict


@pytest.mark.django_db
def test_it_exports_only_the_queryset_it_is_given_with_every_party(make_agreement, orgs, users):
    make_agreement()
    make_agreement(
        [orgs.post_a, orgs.commune_party, orgs.peoples_committee, orgs.department],
        number="02/QC",
    )
    make_agreement([orgs.ls_command, orgs.ls_party], number="LS/QC", user=users.national)

    content, content_type, filename = export_agreements(
        restrict(Agreement.objects.all(), users.hue_clerk), "xlsx"
    )

    assert content_type.startswith("application/vnd.openxmlformats")
    assert filename.startswith("van-ban-phoi-hop-") and filename.endswith(".xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    headers, data = rows[0], rows[1:]
    assert "Bên 4 - chức vụ" in headers and "Bên 5" not in headers
    numbers = {row[headers.index("Số, ký hiệu")] for row in data}
    assert numbers == {"01/QC-PH", "02/QC"}


@pytest.mark.django_db
def test_the_csv_export_is_utf8_with_a_bom_for_excel(make_agreement):
    make_agreement()

    content, content_type, filename = export_agreements(Agreement.objects.all(), "csv")

    assert content_type.startswith("text/csv")
    assert content.startswith("\ufeff".encode())
    assert "Thành ủy Huế" in content.decode("utf-8-sig")
