"""Importing reviews with one column per indicator, matched to agreements by natural key."""

import datetime
from decimal import Decimal

import pytest
import tablib

from agreements.models import IndicatorTotal, IndicatorValue, Review
from agreements.resources import ReviewResource
from units.resources import run_import, write_table

HEADERS = ["Số, ký hiệu văn bản", "Tên văn bản", "Ngày ký văn bản", "Loại hội nghị", "Năm"]


def spreadsheet(rows, headers, fmt="csv") -> bytes:
    return write_table(tablib.Dataset(*rows, headers=headers), fmt)


def do_import(data, user):
    return run_import(ReviewResource(), data, user=user, dry_run=False)


@pytest.mark.django_db
def test_it_records_reviews_with_indicator_values(make_agreement, users):
    agreement = make_agreement()
    headers = [*HEADERS, "Tuần tra song phương, phối hợp (lần)", "crime_cases", "Hạn chế"]
    row = ["01/qc-ph", "", "28/12/2020", "Sơ kết năm", 2023, "1.352", "328", "Dòng một\nDòng hai"]

    outcome = do_import(spreadsheet([row], headers), users.hue_clerk)

    assert outcome.ok, outcome.problems
    review = Review.objects.get()
    assert review.agreement == agreement
    assert (review.period_start, review.period_end) == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
    )
    assert review.shortcomings == "Dòng một\nDòng hai"
    values = dict(review.indicator_values.values_list("indicator__code", "value"))
    assert values == {"joint_patrols": Decimal("1352"), "crime_cases": Decimal("328")}
    assert IndicatorValue.history.filter(history_user=users.hue_clerk).count() == 2
    # The imported figures count in the annual summaries' stored totals.
    totals = IndicatorTotal.objects.filter(province=agreement.province, year=2023)
    assert dict(totals.values_list("indicator__code", "total")) == values


@pytest.mark.django_db
def test_bad_review_rows_are_listed_and_nothing_is_written(make_agreement, make_review, users):
    agreement = make_agreement()
    make_review(agreement, year=2022)
    headers = [*HEADERS, "joint_patrols"]
    rows = [
        ["01/QC-PH", "", "28/12/2020", "Sơ kết năm", 2023, "5"],
        ["99/QC", "", "28/12/2020", "Sơ kết năm", 2023, "5"],
        ["01/QC-PH", "", "28/12/2020", "Sơ kết năm", 2019, ""],
        ["01/QC-PH", "", "28/12/2020", "Sơ kết năm", 2024, "-3"],
        ["01/QC-PH", "", "28/12/2020", "Sơ kết năm", 2023, "7"],
    ]

    outcome = do_import(spreadsheet(rows, headers), users.hue_clerk)

    problems = {p.row: " ".join(p.messages) for p in outcome.problems}
    assert sorted(problems) == [3, 4, 5, 6]
    assert "Không tìm thấy văn bản" in problems[3]
    assert "trước năm văn bản có hiệu lực" in problems[4]
    assert "không thể âm" in problems[5]
    assert "Trùng với dòng 2" in problems[6]
    assert Review.objects.count() == 1


@pytest.mark.django_db
def test_a_review_of_another_province_cannot_be_reached(make_agreement, users):
    make_agreement()
    row = ["01/QC-PH", "", "28/12/2020", "Sơ kết năm", 2023]

    outcome = do_import(spreadsheet([row], HEADERS), users.ls_clerk)

    assert "Không tìm thấy văn bản" in outcome.problems[0].messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged_and_an_edit_updates_the_figure(
    make_agreement, make_review, users, fmt
):
    agreement = make_agreement(number="")
    review = make_review(
        agreement,
        year=2023,
        held_on=datetime.date(2024, 1, 10),
        recipients="- Như trên;\n- Lưu: VT.",
        indicator_values={"meetings": 14, "fines": "3000.5"},
    )
    dataset = ReviewResource().export(Review.objects.all())

    again = do_import(write_table(dataset, fmt), users.hue_clerk)
    assert again.ok and again.unchanged == 1, again

    column = dataset.headers.index("Giao ban, hội nghị phối hợp (lần)")
    dataset[0] = tuple(15 if i == column else v for i, v in enumerate(dataset[0]))
    changed = do_import(write_table(dataset, fmt), users.national)

    assert changed.ok and changed.updated == 1, changed
    values = dict(review.indicator_values.values_list("indicator__code", "value"))
    assert values == {"meetings": Decimal("15"), "fines": Decimal("3000.5")}
    review.refresh_from_db()
    assert review.recipients == "- Như trên;\n- Lưu: VT."
