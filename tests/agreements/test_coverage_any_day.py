"""Coverage for any day and scope, on real units spanning the 2025 reform.

Before the reform: Huyện Xín Mần (033) with the border communes Nàn Xỉn and Bản Díu,
Huyện Vị Xuyên (030) with Việt Lâm, whose territory went to two new communes. After
it: Xã Xín Mần and both successors of Việt Lâm. Post P covers Nàn Xỉn, Việt Lâm, and
later Xã Xín Mần and one successor; post Q covers Bản Díu and the other successor and
is dissolved with the districts. Only P and the Huyện ủy Xín Mần have agreements. The
figures are computed here by hand from these facts and compared with the function.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.coverage import Coverage, coverage_report, coverage_table
from agreements.models import Agreement
from agreements.services import AgreementInput, PartyInput, agreement_create
from units.models import AdministrativeUnit, Level, Organization
from units.services import REFORM_DATE, border_communes_mark

D = datetime.date
Kind = Organization.Kind
BEFORE = [D(2010, 12, 31), D(2024, 12, 31), D(2025, 6, 30)]
AFTER = [REFORM_DATE, D(2025, 8, 1), D(2026, 3, 1)]


def old(code):
    return AdministrativeUnit.objects.get(code=code, valid_until=REFORM_DATE)


def new(code):
    return AdministrativeUnit.objects.get(code=code, valid_until__isnull=True)


def sign(organizations, start, end, kind=Agreement.Kind.REGULATION):
    return agreement_create(
        user=None,
        data=AgreementInput(
            kind=kind,
            title="Quy chế phối hợp",
            signed_on=start,
            valid_from=start,
            valid_until=end,
            parties=[PartyInput(organization=o, role="party") for o in organizations],
        ),
    )


@pytest.fixture
def world(db):
    w = SimpleNamespace(
        nan_xin=old("01099"),
        ban_diu=old("01102"),
        viet_lam=old("00967"),
        xin_man=new("01108"),
        viet_lam_heirs=[new("00913"), new("00967")],
        tuyen_quang=new("08"),
    )
    assert {u.pk for u in w.viet_lam.successors.all()} == {u.pk for u in w.viet_lam_heirs}
    border_communes_mark(
        codes=["01099", "01102", "00967"], valid_from=D(2010, 1, 1), valid_until=REFORM_DATE
    )
    border_communes_mark(codes=["01108", "00913", "00967"])
    w.old_communes = [w.nan_xin, w.ban_diu, w.viet_lam]
    w.new_communes = [w.xin_man, *w.viet_lam_heirs]
    w.p = Organization.objects.create(
        name="Đồn Biên phòng Xín Mần",
        kind=Kind.BORDER_POST,
        level=Level.COMMUNE,
        province=w.tuyen_quang,
    )
    w.p.covered_communes.set([w.nan_xin, w.viet_lam, w.xin_man, w.viet_lam_heirs[0]])
    w.q = Organization.objects.create(
        name="Đồn Biên phòng Bản Díu",
        kind=Kind.BORDER_POST,
        level=Level.COMMUNE,
        province=w.tuyen_quang,
        dissolved_on=REFORM_DATE,
    )
    w.q.covered_communes.set([w.ban_diu, w.viet_lam_heirs[1]])
    w.p_party = Organization.objects.create(
        name="Đảng ủy Đồn Biên phòng Xín Mần",
        kind=Kind.BORDER_GUARD_PARTY_COMMITTEE,
        level=Level.COMMUNE,
        province=w.tuyen_quang,
        party_of=w.p,
    )
    commune_party = Organization.objects.create(
        name="Đảng ủy xã Nàn Xỉn",
        kind=Kind.LOCAL_PARTY_COMMITTEE,
        level=Level.COMMUNE,
        province=w.tuyen_quang,
        area=w.nan_xin,
    )
    sign([w.p_party, commune_party], D(2009, 1, 1), D(2030, 12, 31))
    w.bg_province = Organization.objects.create(
        name="Đảng ủy Bộ đội Biên phòng tỉnh Hà Giang",
        kind=Kind.BORDER_GUARD_PARTY_COMMITTEE,
        level=Level.PROVINCE,
        province=w.tuyen_quang,
        area=old("02"),
    )
    w.district_committee = Organization.objects.create(
        name="Huyện ủy Xín Mần",
        kind=Kind.LOCAL_PARTY_COMMITTEE,
        level=Level.DISTRICT,
        province=w.tuyen_quang,
        area=old("033"),
    )
    sign([w.bg_province, w.district_committee], D(2010, 6, 1), D(2026, 1, 14))
    w.posts = [w.p, w.q]
    w.signing = {w.p: D(2009, 1, 1)}
    w.districts = [old("033"), old("030")]
    w.signed_districts = {old("033").pk}
    return w


def by_hand(w, on, communes_in_scope=None):
    """The figures counted from the fixture's facts, without the coverage code."""
    communes = w.old_communes if on < REFORM_DATE else w.new_communes
    if communes_in_scope is not None:
        communes = [c for c in communes if c.pk in communes_in_scope]
    posts = [p for p in w.posts if p.dissolved_on is None or p.dissolved_on > on]
    if communes_in_scope is not None:
        posts = [
            p
            for p in posts
            if set(p.covered_communes.values_list("pk", flat=True)) & communes_in_scope
        ]
    signed = [p for p in posts if p in w.signing and w.signing[p] <= on]
    covered = [c for c in communes if any(c in p.covered_communes.all() for p in signed)]
    return Coverage(len(covered), len(communes), len(signed), len(posts))


@pytest.mark.parametrize("on", BEFORE + AFTER)
def test_national_figures_match_a_count_by_hand(world, on):
    report = coverage_report(on=on)
    assert report.figures == by_hand(world, on)


def test_before_the_reform_the_figures_are_2_of_3_communes_and_1_of_2_posts(world):
    report = coverage_report(on=D(2010, 12, 31))
    assert report.figures == Coverage(2, 3, 1, 2)
    assert [u.name for u in report.communes_without] == ["Xã Bản Díu"]
    assert [p.name for p in report.posts_without] == ["Đồn Biên phòng Bản Díu"]


def test_before_the_reform_border_districts_count_their_regulations(world):
    report = coverage_report(on=D(2024, 12, 31))
    assert (report.districts_covered, report.districts_total) == (1, 2)
    assert [d.name for d in report.districts_without] == ["Huyện Vị Xuyên"]


def test_the_district_figure_ends_with_the_districts_mid_year(world):
    assert coverage_report(on=D(2025, 6, 30)).districts_total == 2
    report = coverage_report(on=REFORM_DATE)
    assert (report.districts_covered, report.districts_total) == (None, None)


def test_a_divided_commune_s_successors_are_counted_each_on_their_own(world):
    report = coverage_report(on=D(2025, 8, 1))
    assert report.figures == Coverage(2, 3, 1, 1)
    assert [u.code for u in report.communes_without] == ["00967"]


def test_a_legacy_province_is_a_scope_of_its_day(world):
    ha_giang = old("02")
    report = coverage_report(scope=ha_giang, on=D(2024, 12, 31))
    assert report.figures == by_hand(world, D(2024, 12, 31))
    assert (report.districts_covered, report.districts_total) == (1, 2)


def test_a_legacy_district_is_a_scope_of_its_day(world):
    district = old("033")
    on = D(2024, 12, 31)
    report = coverage_report(scope=district, on=on)
    in_district = {world.nan_xin.pk, world.ban_diu.pk}
    assert report.figures == by_hand(world, on, in_district) == Coverage(1, 2, 1, 2)
    assert (report.districts_covered, report.districts_total) == (1, 1)


def test_the_current_province_after_the_reform(world):
    on = D(2025, 8, 1)
    report = coverage_report(scope=world.tuyen_quang, on=on)
    assert report.figures == by_hand(world, on)


def test_the_table_of_the_dashboard_and_summaries_agrees_with_the_report(world):
    for on in BEFORE + AFTER:
        table = coverage_table(on=on)
        assert table[None] == coverage_report(on=on).figures
    assert (
        coverage_table(on=D(2024, 12, 31))[old("02").pk]
        == coverage_report(scope=old("02"), on=D(2024, 12, 31)).figures
    )


def test_the_map_points_are_the_border_communes_of_the_day(world):
    report = coverage_report(on=D(2024, 12, 31))
    assert sorted((p.name, p.covered) for p in report.points) == [
        ("Xã Bản Díu", False),
        ("Xã Nàn Xỉn", True),
        ("Xã Việt Lâm", True),
    ]


def _queries(scope, on) -> int:
    with CaptureQueriesContext(connection) as queries:
        coverage_report(scope=scope, on=on)
    return len(queries)


def test_the_report_takes_as_many_queries_for_twice_the_posts(world):
    on = D(2024, 12, 31)
    before = _queries(old("02"), on)
    for index, commune in enumerate(old("030").children.all()[:3]):
        post = Organization.objects.create(
            name=f"Đồn {index}",
            kind=Kind.BORDER_POST,
            level=Level.COMMUNE,
            province=world.tuyen_quang,
        )
        post.covered_communes.set([commune])
        border_communes_mark(
            codes=[commune.code], valid_from=D(2010, 1, 1), valid_until=REFORM_DATE
        )
    assert coverage_report(scope=old("02"), on=on).posts_total == 5
    assert _queries(old("02"), on) == before
