import io

import openpyxl
import pytest

from tests.web.conftest import regulation


@pytest.fixture
def second(world):
    return regulation(
        user=world.staff,
        parties=[world.hue_post, world.hue_commune_party_2],
        title="Quy chế phối hợp Đồn Biên phòng A Lưới với xã Hồng Vân",
        number="02-QC/ĐU",
    )


@pytest.mark.django_db
def test_the_csv_export_holds_the_current_filtered_list(staff_client, world, second):
    response = staff_client.get("/agreements/export.csv?q=hong van")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert second.title in text
    assert world.agreement.title not in text
    assert "Đồn Biên phòng A Lưới; Đảng ủy xã Hồng Vân" in text


@pytest.mark.django_db
def test_the_xlsx_export_holds_every_row_with_headers(staff_client, world, second):
    response = staff_client.get("/agreements/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã", "Số, ký hiệu", "Tên văn bản")
    assert {row[2] for row in rows[1:]} == {world.agreement.title, second.title}


@pytest.mark.django_db
def test_an_unknown_export_format_is_a_404(staff_client):
    assert staff_client.get("/agreements/export.pdf").status_code == 404


@pytest.mark.django_db
def test_the_list_links_its_exports_with_the_current_filters(staff_client, world):
    html = staff_client.get("/agreements/?q=a+luoi&kind=regulation").content.decode()
    assert "/agreements/export.xlsx?q=a+luoi&amp;kind=regulation" in html
