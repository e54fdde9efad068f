"""Coverage of the border area for any scope and any day: the one home of the rule.

"How many border communes, border posts (and, before the 2025 reform, border
districts) have an agreement in force": the dashboard, the annual summaries and the
coverage page all read it from here.

- A border commune is a commune valid on the day whose border mark held that day
  (units.models.AdministrativeUnitQuerySet.border): legacy communes before
  01/07/2025, current ones after.
- A post counts when it, or its party committee, is a party to an agreement in force
  on the day. A border commune counts when a counting post of its province covers it
  (for the country: any counting post).
- A post's province on a day is its `province` when that province existed then;
  before the reform, the province of the communes it covered then.
- A border district (before the reform) counts when its party committee is a party
  to a regulation in force with a provincial Border Guard party committee.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from agreements.models import Agreement, AgreementParty, in_force_q
from units.loader import REFORM_DATE
from units.models import AdministrativeUnit, Level, Organization

Kind = Organization.Kind


@dataclass(frozen=True)
class Coverage:
    communes_covered: int
    communes_total: int
    posts_covered: int
    posts_total: int


@dataclass
class Facts:
    """Who is covered on a day, per border commune and per post."""

    on: datetime.date
    commune_province: dict[int, int | None]
    commune_district: dict[int, int | None]
    commune_points: dict[int, tuple[str, float | None, float | None]]
    post_province: dict[int, int | None]
    signed_posts: set[int]
    covered_anywhere: set[int]
    covered_in_province: set[int]
    post_communes: dict[int, set[int]]


def _province_of(parent_id, grandparent_id, parent_type) -> tuple[int | None, int | None]:
    """(province, district) of a commune from its parent and grandparent."""
    if parent_type in AdministrativeUnit.DISTRICT_TYPES:
        return grandparent_id, parent_id
    return parent_id, None


def facts(on: datetime.date | None = None) -> Facts:
    """The coverage facts of a day. A fixed number of queries whatever the data."""
    on = on or timezone.localdate()
    communes, points = {}, {}
    for pk, parent, grandparent, parent_type, name, latitude, longitude in (
        AdministrativeUnit.objects.current(on)
        .communes()
        .border(on)
        .order_by("code")
        .values_list(
            "pk",
            "parent_id",
            "parent__parent_id",
            "parent__type",
            "name",
            "latitude",
            "longitude",
        )
    ):
        communes[pk] = _province_of(parent, grandparent, parent_type)
        points[pk] = (name, latitude, longitude)
    commune_province = {pk: province for pk, (province, _) in communes.items()}

    posts = Organization.objects.border_posts().active(on)
    post_province = {}
    for pk, province, since, until in posts.order_by().values_list(
        "pk", "province_id", "province__valid_from", "province__valid_until"
    ):
        existed = (since is None or since <= on) and (until is None or until > on)
        post_province[pk] = province if existed else None
    links = Organization.covered_communes.through.objects.filter(
        organization__in=posts.values("pk")
    ).filter(
        Q(administrativeunit__valid_from__isnull=True) | Q(administrativeunit__valid_from__lte=on),
        Q(administrativeunit__valid_until__isnull=True) | Q(administrativeunit__valid_until__gt=on),
    )
    post_communes: dict[int, set[int]] = {}
    for post, unit, parent, grandparent, parent_type in links.order_by(
        "administrativeunit__code"
    ).values_list(
        "organization_id",
        "administrativeunit_id",
        "administrativeunit__parent_id",
        "administrativeunit__parent__parent_id",
        "administrativeunit__parent__type",
    ):
        post_communes.setdefault(post, set()).add(unit)
        if post_province.get(post) is None:
            post_province[post] = _province_of(parent, grandparent, parent_type)[0]

    # A post signs itself or through its party committee (Đảng ủy Đồn Biên phòng).
    post_of = {pk: pk for pk in post_province}
    post_of.update(
        Organization.objects.filter(party_of__in=posts.values("pk"))
        .order_by()
        .values_list("pk", "party_of_id")
    )
    # Per signer SQLite stops at its first agreement in force, instead of reading the
    # party rows of every agreement the posts ever signed.
    in_force_party = AgreementParty.objects.filter(
        in_force_q(on, "agreement__"), organization=OuterRef("pk")
    )
    signers = (
        Organization.objects.filter(
            Q(pk__in=posts.values("pk")) | Q(party_of__in=posts.values("pk"))
        )
        .filter(Exists(in_force_party))
        .order_by()
        .values_list("pk", flat=True)
    )
    # .get: a committee linked to a post between the two queries is left for next time.
    signed = {post_of.get(org) for org in signers} - {None}
    covered_anywhere, covered_in_province = set(), set()
    for post in signed:
        for commune in post_communes.get(post, ()):
            if commune in commune_province:
                covered_anywhere.add(commune)
                if commune_province[commune] == post_province[post]:
                    covered_in_province.add(commune)
    return Facts(
        on=on,
        commune_province=commune_province,
        commune_district={pk: district for pk, (_, district) in communes.items()},
        commune_points=points,
        post_province=post_province,
        signed_posts=signed,
        covered_anywhere=covered_anywhere,
        covered_in_province=covered_in_province,
        post_communes=post_communes,
    )


def coverage_table(
    *, on: datetime.date | None = None, known: Facts | None = None
) -> dict[int | None, Coverage]:
    """Coverage for every province of the day at once, keyed by province id (None: the
    country). Before the reform the rows are the 63 provinces of the day. `known`:
    the day's facts when the caller has them already."""
    f = known or facts(on)
    communes_total = Counter(f.commune_province.values())
    communes_covered = Counter(f.commune_province[c] for c in f.covered_in_province)
    posts_total = Counter(f.post_province.values())
    posts_covered = Counter(f.post_province[p] for p in f.signed_posts)
    table = {
        province_id: Coverage(
            communes_covered=communes_covered[province_id],
            communes_total=communes_total[province_id],
            posts_covered=posts_covered[province_id],
            posts_total=posts_total[province_id],
        )
        for province_id in (set(posts_total) | set(communes_total)) - {None}
    }
    table[None] = Coverage(
        communes_covered=len(f.covered_anywhere),
        communes_total=len(f.commune_province),
        posts_covered=len(f.signed_posts),
        posts_total=len(f.post_province),
    )
    return table


@dataclass(frozen=True)
class MapPoint:
    name: str
    latitude: float
    longitude: float
    covered: bool


@dataclass
class CoverageReport:
    """The figures of one scope on one day, and the lists behind them."""

    on: datetime.date
    scope: AdministrativeUnit | None
    communes_covered: int
    communes_total: int
    posts_covered: int
    posts_total: int
    # None when the day has no districts (after the reform).
    districts_covered: int | None
    districts_total: int | None
    twinned: int
    twinning_targets: int
    communes_without: list[AdministrativeUnit] = field(default_factory=list)
    posts_without: list[Organization] = field(default_factory=list)
    districts_without: list[AdministrativeUnit] = field(default_factory=list)
    not_twinned: list[Organization] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)

    @property
    def figures(self) -> Coverage:
        return Coverage(
            self.communes_covered, self.communes_total, self.posts_covered, self.posts_total
        )


def _provinces_on(scope: AdministrativeUnit | None, on: datetime.date) -> set[int]:
    """The provinces of the day a province scope stands for: itself, or for a day before
    it existed, the provinces it was formed from (Tuyên Quang in 2024: Tuyên Quang and
    Hà Giang), so a summary of 2024 of today's province covers its territory."""
    if scope is None or not scope.is_province:
        return set()
    if (scope.valid_from is None or scope.valid_from <= on) and (
        scope.valid_until is None or scope.valid_until > on
    ):
        return {scope.pk}
    return set(scope.predecessors.current(on).provinces().values_list("pk", flat=True))


def _district_figures(
    on: datetime.date,
    scope: AdministrativeUnit | None,
    provinces: set[int],
    border_districts: set[int],
) -> tuple[set[int], set[int]] | None:
    """(border districts, those whose committee has a regulation in force with a
    provincial Border Guard party committee), or None when the day has no districts."""
    # Districts were abolished by the reform.
    if on >= REFORM_DATE:
        return None
    districts = AdministrativeUnit.objects.current(on).filter(
        type__in=AdministrativeUnit.DISTRICT_TYPES
    )
    marked = set(districts.border(on).values_list("pk", flat=True))
    valid = set(districts.values_list("pk", flat=True))
    total = (marked | border_districts) & valid
    if scope is not None and scope.is_province:
        total &= set(districts.filter(parent__in=provinces).values_list("pk", flat=True))
    elif scope is not None:
        total &= {scope.pk}
    with_bg_committee = AgreementParty.objects.filter(
        agreement=OuterRef("agreement"),
        organization__kind=Kind.BORDER_GUARD_PARTY_COMMITTEE,
        organization__level=Level.PROVINCE,
    )
    signed_party = AgreementParty.objects.filter(
        in_force_q(on, "agreement__"),
        Exists(with_bg_committee),
        agreement__kind=Agreement.Kind.REGULATION,
        organization=OuterRef("pk"),
    )
    signed = set(
        Organization.objects.filter(
            kind=Kind.LOCAL_PARTY_COMMITTEE, level=Level.DISTRICT, area__in=total
        )
        .filter(Exists(signed_party))
        .values_list("area_id", flat=True)
    )
    return total, signed


def coverage_report(
    *,
    scope: AdministrativeUnit | None = None,
    on: datetime.date | None = None,
    lists: bool = True,
    known: Facts | None = None,
) -> CoverageReport:
    """Coverage of the country, a province (current or legacy) or a legacy district.

    Without `lists`, the lists behind the figures are left empty (three queries less).
    """
    on = on or timezone.localdate()
    f = known or facts(on)
    provinces = _provinces_on(scope, on)
    communes, covered, posts = _in_scope(f, scope, provinces)
    districts = _district_figures(
        on, scope, provinces, {d for c, d in f.commune_district.items() if d is not None}
    )

    targets = Organization.objects.filter(kind__in=Organization.TWINNING_TARGET_KINDS).active(on)
    if scope is not None:
        today_province = scope.current_province()
        targets = targets.filter(province=today_province)
    # Per target, SQLite stops at its first twinning in force instead of joining them all.
    twinning_in_force = AgreementParty.objects.filter(
        in_force_q(on, "agreement__"),
        organization=OuterRef("pk"),
        agreement__kind=Agreement.Kind.TWINNING,
    )
    targets = list(targets.annotate(twinned=Exists(twinning_in_force)).order_by("name"))

    if lists:
        units = AdministrativeUnit.objects.filter(pk__in=communes - covered)
        communes_without = list(units.select_related("parent").order_by("code"))
        posts_without = list(
            Organization.objects.filter(pk__in=posts - f.signed_posts)
            .select_related("province")
            .order_by("name")
        )
        districts_without = (
            list(
                AdministrativeUnit.objects.filter(pk__in=districts[0] - districts[1])
                .select_related("parent")
                .order_by("code")
            )
            if districts
            else []
        )
    else:
        communes_without, posts_without, districts_without = [], [], []
    return CoverageReport(
        on=on,
        scope=scope,
        communes_covered=len(covered),
        communes_total=len(communes),
        posts_covered=len(posts & f.signed_posts),
        posts_total=len(posts),
        districts_covered=len(districts[1]) if districts else None,
        districts_total=len(districts[0]) if districts else None,
        twinned=sum(1 for t in targets if t.twinned),
        twinning_targets=len(targets),
        communes_without=communes_without,
        posts_without=posts_without,
        districts_without=districts_without,
        not_twinned=[t for t in targets if not t.twinned],
        points=_points(f, communes, covered),
    )


def map_points(known: Facts, scope: AdministrativeUnit | None = None) -> list[MapPoint]:
    """The scope's border communes on the facts' day, as dots: no query for a scope
    of that day (the dashboard draws its map from the facts of its table)."""
    communes, covered, _posts = _in_scope(known, scope, _provinces_on(scope, known.on))
    return _points(known, communes, covered)


def _in_scope(
    f: Facts, scope: AdministrativeUnit | None, provinces: set[int]
) -> tuple[set[int], set[int], set[int]]:
    """(border communes, those covered, posts) of a scope."""
    if scope is None:
        return set(f.commune_province), f.covered_anywhere, set(f.post_province)
    if scope.is_province:
        communes = {c for c, p in f.commune_province.items() if p in provinces}
        posts = {p for p, province in f.post_province.items() if province in provinces}
    else:
        communes = {c for c, d in f.commune_district.items() if d == scope.pk}
        posts = {p for p, covers in f.post_communes.items() if covers & communes}
    return communes, f.covered_in_province & communes, posts


def _points(f: Facts, communes: set[int], covered: set[int]) -> list[MapPoint]:
    return [
        MapPoint(name, latitude, longitude, pk in covered)
        for pk, (name, latitude, longitude) in f.commune_points.items()
        if pk in communes and latitude is not None and longitude is not None
    ]
