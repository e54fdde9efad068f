"""The list's exports: the filtered list, in the import's columns, keyed by natural keys."""

import csv
import io

import openpyxl
import pytest

from tests.web.conftest import make_org, regulation
from units.models import Level, Organization


@pytest.fixture
def coded(world):
    """Codes on the Huế organizations, as an import file names them."""
    for organization, code in (
        (world.hue_command, "DU-BDBP-HUE"),
        (world.hue_commune_party, "DU-XA-ALUOI1"),
        (world.hue_post, "DBP-ALUOI"),
        (world.hue_commune_party_2, "DU-XA-HONGVAN"),
    ):
        organization.code = code
        organization.save()


@pytest.fixture
def second(world, coded):
    return regulation(
        user=world.staff,
        parties=[world.hue_post, world.hue_commune_party_2],
        title="Quy chế phối hợp Đồn Biên phòng A Lưới với xã Hồng Vân",
        number="02-QC/ĐU",
    )


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.django_db
def test_the_csv_export_holds_the_current_filtered_list(staff_client, world, second):
    response = staff_client.get("/agreements/export.csv?q=hong van")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["Tên văn bản"] for row in rows] == [second.title]
    assert rows[0]["Số, ký hiệu"] == "02-QC/ĐU"
    assert (rows[0]["Bên 1"], rows[0]["Bên 2"]) == ("DBP-ALUOI", "DU-XA-HONGVAN")
    assert rows[0]["Tỉnh, thành phố (mã)"] == world.hue.code


@pytest.mark.django_db
def test_the_export_writes_natural_keys_never_database_ids(staff_client, world, second):
    rows = xlsx_rows(staff_client.get("/agreements/export.xlsx"))
    headers = rows[0]
    assert headers[:2] == ("Số, ký hiệu", "Tên văn bản")
    assert "Mã" not in headers
    by_number = {row[0]: dict(zip(headers, row, strict=True)) for row in rows[1:]}
    assert set(by_number) == {"01-QC/ĐU", "02-QC/ĐU"}
    first = by_number["01-QC/ĐU"]
    assert (first["Bên 1"], first["Bên 2"]) == ("DU-BDBP-HUE", "DU-XA-ALUOI1")
    ids = {world.agreement.pk, second.pk}
    # The version is a counter the import checks, not an id.
    assert [row["Phiên bản"] for row in by_number.values()] == [1, 1]
    numbers = {
        value
        for row in rows[1:]
        for header, value in zip(headers, row, strict=True)
        if isinstance(value, int) and header != "Phiên bản"
    }
    assert not ids & numbers


@pytest.mark.django_db
def test_the_export_runs_a_bounded_number_of_queries(
    staff_client, world, coded, django_assert_max_num_queries
):
    def add(count: int) -> None:
        for index in range(count):
            partner = make_org(
                f"Đảng ủy xã thử {index}",
                Organization.Kind.LOCAL_PARTY_COMMITTEE,
                Level.COMMUNE,
                world.hue,
                code=f"DU-XA-THU-{Organization.objects.count()}",
            )
            regulation(
                user=world.staff,
                parties=[world.hue_post, partner],
                title=f"Quy chế phối hợp thử {Organization.objects.count()}",
            )

    add(4)
    with django_assert_max_num_queries(20) as few:
        assert len(csv_rows(staff_client.get("/agreements/export.csv"))) == 5
    add(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(csv_rows(staff_client.get("/agreements/export.csv"))) == 50


@pytest.mark.django_db
def test_an_unknown_export_format_is_a_404(staff_client):
    assert staff_client.get("/agreements/export.pdf").status_code == 404


@pytest.mark.django_db
def test_another_provinces_user_exports_none_of_huês_agreements(outsider_client, world):
    response = outsider_client.get("/agreements/export.csv")
    assert response.status_code == 200
    rows = csv_rows(response)
    assert world.agreement.title not in {row["Tên văn bản"] for row in rows}


@pytest.mark.django_db
def test_the_list_links_its_exports_with_the_current_filters(staff_client, world):
    html = staff_client.get("/agreements/?q=a+luoi&kind=regulation").content.decode()
    assert "/agreements/export.xlsx?q=a+luoi&amp;kind=regulation" in html


@pytest.mark.django_db
def test_the_list_export_keeps_the_order_shown_and_names_the_parties(staff_client, world):
    regulation(
        user=world.staff,
        parties=[world.hue_post, world.hue_commune_party_2],
        title="A quy chế đứng đầu theo tên",
    )
    for sort in ("title", "-title"):
        content = staff_client.get(f"/agreements/export.csv?sort={sort}").content
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        title_at = rows[0].index("Tên văn bản")
        titles = [row[title_at] for row in rows[1:]]
        assert titles == sorted(titles, reverse=sort.startswith("-"))
    header = rows[0]
    assert "Bên 1 - tên tổ chức (chỉ để đọc)" in header
    assert world.hue_command.name in rows[1] + rows[2]
