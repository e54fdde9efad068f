"""A spreadsheet exported before a web edit cannot overwrite it: rows carry the version."""

import pytest

from agreements import services
from agreements.models import Agreement, Review
from agreements.resources import AgreementResource, ReviewResource, export_file
from units.resources import read_table, run_import, write_table

from .test_import_agreements import database_dump


def exported(kind: str, queryset) -> "tablib.Dataset":  # noqa: F821
    content, _type, filename = export_file(kind, queryset, "xlsx")
    return read_table(content, filename)


def edited(dataset, header: str, value):
    column = dataset.headers.index(header)
    dataset[0] = tuple(value if i == column else v for i, v in enumerate(dataset[0]))
    return dataset


def edit_on_the_web(agreement, make_input, user, **changes):
    return services.agreement_update(
        agreement=agreement,
        user=user,
        data=make_input(**changes),
        expected_version=agreement.version,
    )


@pytest.mark.django_db
def test_the_export_carries_each_records_version(make_agreement, make_review):
    agreement = make_agreement()
    make_review(agreement)
    assert exported("agreements", Agreement.objects.all())["Phiên bản"] == [agreement.version]
    assert exported("reviews", Review.objects.all())["Phiên bản"] == [1]


@pytest.mark.django_db
def test_a_spreadsheet_exported_before_a_web_edit_is_refused_naming_the_row(
    make_agreement, make_input, users
):
    agreement = make_agreement()
    sheet = exported("agreements", Agreement.objects.all())
    edit_on_the_web(agreement, make_input, users.hue_clerk, title="Sửa trên trang web")
    before = database_dump()

    outcome = run_import(
        AgreementResource(),
        write_table(edited(sheet, "Tóm tắt", "Sửa trên tệp cũ"), "xlsx"),
        user=users.hue_clerk,
        dry_run=False,
        filename="van-ban.xlsx",
    )

    assert not outcome.ok
    [problem] = outcome.problems
    assert problem.row == 2
    assert any(
        "Dòng 2" in m and "phiên bản trong tệp: 1, hiện tại: 2" in m for m in problem.messages
    ), problem.messages
    assert database_dump() == before
    agreement.refresh_from_db()
    assert (agreement.title, agreement.summary) == ("Sửa trên trang web", "")


@pytest.mark.django_db
def test_a_fresh_spreadsheet_updates_and_advances_the_version(make_agreement, users):
    agreement = make_agreement()
    sheet = exported("agreements", Agreement.objects.all())

    outcome = run_import(
        AgreementResource(),
        write_table(edited(sheet, "Tóm tắt", "Bổ sung tóm tắt"), "xlsx"),
        user=users.hue_clerk,
        dry_run=False,
        filename="van-ban.xlsx",
    )

    assert outcome.ok and outcome.updated == 1, outcome.problems
    agreement.refresh_from_db()
    assert (agreement.summary, agreement.version) == ("Bổ sung tóm tắt", 2)


@pytest.mark.django_db
def test_a_row_changing_a_stored_agreement_without_its_version_is_refused(make_agreement, users):
    agreement = make_agreement()
    sheet = edited(exported("agreements", Agreement.objects.all()), "Phiên bản", "")

    outcome = run_import(
        AgreementResource(),
        write_table(edited(sheet, "Tóm tắt", "Không ghi phiên bản"), "xlsx"),
        user=users.hue_clerk,
        dry_run=False,
        filename="van-ban.xlsx",
    )

    assert [p.row for p in outcome.problems] == [2]
    assert any("không ghi phiên bản" in m for m in outcome.problems[0].messages)
    agreement.refresh_from_db()
    assert agreement.summary == ""


@pytest.mark.django_db
def test_a_review_spreadsheet_exported_before_a_web_edit_is_refused(
    make_agreement, make_review, users
):
    review = make_review(make_agreement(), indicator_values={"joint_patrols": 12})
    sheet = exported("reviews", Review.objects.all())
    services.review_update(
        review=review, user=users.hue_clerk, expected_version=1, chaired_by="Sửa trên web"
    )

    outcome = run_import(
        ReviewResource(),
        write_table(edited(sheet, "Địa điểm", "Tệp cũ"), "xlsx"),
        user=users.hue_clerk,
        dry_run=False,
        filename="so-ket.xlsx",
    )

    assert [p.row for p in outcome.problems] == [2]
    assert any("hiện tại: 2" in m for m in outcome.problems[0].messages)
    review.refresh_from_db()
    assert (review.chaired_by, review.held_at) == ("Sửa trên web", "")
