"""A large synthetic data set for benchmarks: tens of thousands of agreements, fast.

Everything goes in through bulk_create, so it skips services, history and `save()`;
the folded search columns are filled by hand (`refresh_search_text()`). Deterministic
for a given size and seed. Needs the administrative units loaded first.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from agreements.models import Agreement, AgreementParty, Indicator, IndicatorValue, Review
from agreements.services import indicator_totals_rebuild
from units.models import AdministrativeUnit, Level, Organization

Kind = Organization.Kind
# Provinces on the land border or the coast, where border posts sit.
BORDER_PROVINCES = (
    "04", "08", "11", "12", "14", "15", "20", "22", "38", "40", "42",
    "44", "46", "51", "52", "66", "80", "82", "91", "96",
)  # fmt: skip
BORDER_COMMUNES_PER_PROVINCE = 30
COMMUNES_PER_POST = 2
TWINNING_TARGETS_PER_PROVINCE = 20
INDICATORS_PER_REVIEW = 8
BATCH = 2000


@dataclass
class DatasetSize:
    agreements: int
    reviews: int
    organizations: int


def _orgs(rows: list[Organization]) -> list[Organization]:
    for row in rows:
        row.refresh_search_text()
    return Organization.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def build_agreements(count: int = 20_000, *, year: int = 2025, seed: int = 1) -> DatasetSize:
    """Organizations, `count` agreements with parties, and two years of annual reviews."""
    rng = random.Random(seed)
    provinces = list(AdministrativeUnit.objects.provinces().current().order_by("code"))
    border = [p for p in provinces if p.code in BORDER_PROVINCES]

    border_ids = []
    for province in border:
        border_ids += list(
            AdministrativeUnit.objects.communes()
            .filter(parent=province)
            .order_by("code")
            .values_list("pk", flat=True)[:BORDER_COMMUNES_PER_PROVINCE]
        )
    AdministrativeUnit.objects.filter(pk__in=border_ids).update(is_border=True)
    AdministrativeUnit.objects.filter(pk__in=[p.pk for p in border]).update(is_border=True)

    central = _orgs(
        [
            Organization(
                name="Bộ Tư lệnh Bộ đội Biên phòng",
                kind=Kind.BORDER_GUARD_COMMAND,
                level=Level.CENTRAL,
            ),
            Organization(
                name="Đảng ủy Bộ đội Biên phòng",
                kind=Kind.BORDER_GUARD_PARTY_COMMITTEE,
                level=Level.CENTRAL,
            ),
        ]
    )
    per_province = []
    for province in provinces:
        per_province += [
            Organization(
                name=f"Ban Chỉ huy Bộ đội Biên phòng {province.name}",
                kind=Kind.BORDER_GUARD_COMMAND,
                level=Level.PROVINCE,
                province=province,
                parent=central[0],
            ),
            Organization(
                name=f"Đảng ủy Ban Chỉ huy Bộ đội Biên phòng {province.name}",
                kind=Kind.BORDER_GUARD_PARTY_COMMITTEE,
                level=Level.PROVINCE,
                province=province,
                parent=central[1],
                area=province,
            ),
            Organization(
                name=f"Tỉnh ủy {province.name}",
                kind=Kind.LOCAL_PARTY_COMMITTEE,
                level=Level.PROVINCE,
                province=province,
                area=province,
            ),
        ]
        per_province += [
            Organization(
                name=f"{'Sở' if n % 2 else 'Công ty'} số {n} {province.name}",
                kind=Kind.DEPARTMENT if n % 2 else Kind.ENTERPRISE,
                level=Level.PROVINCE,
                province=province,
            )
            for n in range(TWINNING_TARGETS_PER_PROVINCE)
        ]
    per_province = _orgs(per_province)
    by_province: dict[int, dict[str, list[Organization]]] = {}
    for org in per_province:
        slot = by_province.setdefault(org.province_id, {})
        slot.setdefault(org.kind, []).append(org)

    communes = list(AdministrativeUnit.objects.filter(pk__in=border_ids).order_by("code"))
    committees = _orgs(
        [
            Organization(
                name=f"Đảng ủy {c.name}",
                kind=Kind.LOCAL_PARTY_COMMITTEE,
                level=Level.COMMUNE,
                province_id=c.parent_id,
                area=c,
            )
            for c in communes
        ]
    )
    posts = _orgs(
        [
            Organization(
                name=f"Đồn Biên phòng {c.name}",
                kind=Kind.BORDER_POST,
                level=Level.COMMUNE,
                province_id=c.parent_id,
                area=c,
            )
            for c in communes[::COMMUNES_PER_POST]
        ]
    )
    Through = Organization.covered_communes.through
    Through.objects.bulk_create(
        [
            Through(organization_id=posts[i // COMMUNES_PER_POST].pk, administrativeunit_id=c.pk)
            for i, c in enumerate(communes)
        ],
        batch_size=BATCH,
    )
    post_of = {c.pk: posts[i // COMMUNES_PER_POST] for i, c in enumerate(communes)}
    local = {}
    for committee, commune in zip(committees, communes, strict=True):
        local.setdefault(commune.parent_id, []).append((committee, post_of[commune.pk]))

    today = datetime.date(year, 12, 31)
    agreements, party_rows = [], []
    for n in range(count):
        province = rng.choice(border) if rng.random() < 0.85 else rng.choice(provinces)
        slots = by_province[province.pk]
        roll = rng.random()
        start = datetime.date(rng.randint(year - 6, year), rng.randint(1, 12), rng.randint(1, 28))
        end = start.replace(year=start.year + 5)
        if roll < 0.7 and province.pk in local:
            kind = Agreement.Kind.REGULATION
            committee, post = rng.choice(local[province.pk])
            parties = [post, committee]
        elif roll < 0.9:
            kind = Agreement.Kind.TWINNING
            target = rng.choice(slots[Kind.DEPARTMENT] + slots[Kind.ENTERPRISE])
            parties = [slots[Kind.BORDER_GUARD_COMMAND][0], target]
        else:
            kind = Agreement.Kind.PLAN
            parties = [
                slots[Kind.BORDER_GUARD_PARTY_COMMITTEE][0],
                slots[Kind.LOCAL_PARTY_COMMITTEE][0],
            ]
        status, ended_on, reason = Agreement.Status.IN_FORCE, None, ""
        if end < today:
            status = Agreement.Status.EXPIRED
        elif rng.random() < 0.03:
            status = Agreement.Status.TERMINATED
            ended_on = min(today, start + datetime.timedelta(days=400))
            reason = Agreement.TerminationReason.MUTUAL
        agreement = Agreement(
            kind=kind,
            number=f"{n + 1}-QC/ĐU",
            title=f"{Agreement.Kind(kind).label} số {n + 1} giữa {parties[0].name} và "
            f"{parties[1].name}",
            signed_on=start,
            signed_at=province.name,
            valid_from=start,
            valid_until=end,
            status=status,
            ended_on=ended_on,
            termination_reason=reason,
            province=province,
            summary="Phối hợp quản lý, bảo vệ chủ quyền lãnh thổ, an ninh biên giới.",
        )
        agreement.refresh_search_text()
        agreements.append(agreement)
        party_rows.append(parties)
    agreements = Agreement.objects.bulk_create(agreements, batch_size=BATCH)
    AgreementParty.objects.bulk_create(
        [
            AgreementParty(
                agreement=a,
                organization=org,
                role=AgreementParty.Role.LEAD if order == 0 else AgreementParty.Role.PARTY,
                order=order,
            )
            for a, parties in zip(agreements, party_rows, strict=True)
            for order, org in enumerate(parties)
        ],
        batch_size=BATCH,
    )

    reviews = []
    for a in agreements:
        if a.kind == Agreement.Kind.PLAN:
            continue
        for review_year in (year - 1, year):
            if a.valid_from.year <= review_year <= a.valid_until.year and rng.random() < 0.8:
                reviews.append(
                    Review(
                        agreement=a,
                        kind=Review.Kind.ANNUAL,
                        year=review_year,
                        period_start=datetime.date(review_year, 1, 1),
                        period_end=datetime.date(review_year, 12, 31),
                        held_on=datetime.date(review_year, 12, 15),
                        situation="Tình hình an ninh biên giới cơ bản ổn định.",
                        results_leadership="Hai bên ban hành kế hoạch thực hiện.",
                        shortcomings="Trao đổi thông tin có lúc chưa kịp thời.",
                        directions="Tiếp tục thực hiện các biện pháp trọng tâm.",
                        proposals="Đề nghị cấp trên hỗ trợ kinh phí tuần tra."
                        if rng.random() < 0.3
                        else "",
                        recipients="Thường trực Tỉnh ủy\nĐảng ủy Bộ đội Biên phòng\nLưu: VT",
                    )
                )
    reviews = Review.objects.bulk_create(reviews, batch_size=BATCH)
    indicators = list(Indicator.objects.order_by("order")[:INDICATORS_PER_REVIEW])
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(review=r, indicator=i, value=Decimal(rng.randint(1, 500)))
            for r in reviews
            for i in indicators
        ],
        batch_size=BATCH,
    )
    # The stored yearly totals the services would have kept (agreements.models.IndicatorTotal).
    indicator_totals_rebuild()
    return DatasetSize(
        agreements=len(agreements),
        reviews=len(reviews),
        organizations=len(central) + len(per_province) + len(committees) + len(posts),
    )
