"""A small world for the reports: Huế with its border posts and communes, one other province.

Huế (46) gets three border communes. Post A covers the first two and signed a
regulation with their party committees (in force); post B covers the third and has
signed nothing. A department is twinned with the Border Guard, an enterprise is not.
Two annual reviews of 2025 exist (one party, one state); the twinning agreement and a
regulation terminated in 2025 were not reviewed.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from agreements.models import (
    Agreement,
    AgreementParty,
    FocusArea,
    Indicator,
    IndicatorValue,
    Review,
    ReviewFocusResult,
)
from agreements.services import indicator_totals_rebuild
from units.models import AdministrativeUnit, Level, Organization, User

Kind = Organization.Kind
D = datetime.date


@pytest.fixture
def report_cache(settings, files_in_tmp):
    return settings.REPORT_CACHE_DIR


def org(name, kind, level, province=None, **extra):
    return Organization.objects.create(
        name=name, kind=kind, level=level, province=province, **extra
    )


def agreement(title, kind, province, parties, **extra):
    extra.setdefault("status", Agreement.Status.IN_FORCE)
    created = Agreement.objects.create(title=title, kind=kind, province=province, **extra)
    for order, (organization, role) in enumerate(parties):
        AgreementParty.objects.create(
            agreement=created, organization=organization, role=role, order=order
        )
    return created


def long_agreements(world, count: int) -> None:
    """`count` agreements in Huế whose symbols, titles and parties are long."""
    lead = org(
        "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế (cơ quan thường trực)",
        Organization.Kind.BORDER_GUARD_PARTY_COMMITTEE,
        Level.PROVINCE,
        world.hue,
    )
    for n in range(count):
        partner = org(
            f"Đảng ủy xã biên giới số {n} thuộc địa bàn Đồn Biên phòng cửa khẩu quốc tế",
            Organization.Kind.LOCAL_PARTY_COMMITTEE,
            Level.COMMUNE,
            world.hue,
        )
        agreement(
            f"Quy chế phối hợp trong công tác bảo vệ chủ quyền lãnh thổ, an ninh biên giới số {n}",
            Agreement.Kind.REGULATION,
            world.hue,
            [(lead, AgreementParty.Role.LEAD), (partner, AgreementParty.Role.PARTY)],
            number=f"{100 + n}-QC/ĐUBĐBP-ĐUXBG",
            signed_on=datetime.date(2024, 12, 31),
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2030, 12, 31),
        )


def values(review, **figures):
    for code, value in figures.items():
        IndicatorValue.objects.create(
            review=review, indicator=Indicator.objects.get(code=code), value=Decimal(value)
        )


@dataclass
class World:
    hue: AdministrativeUnit
    lang_son: AdministrativeUnit
    communes: list
    post_a: Organization
    post_b: Organization
    bg_party: Organization
    bg_command: Organization
    peoples_committee: Organization
    department: Organization
    enterprise: Organization
    regulation_communes: Agreement
    regulation_city: Agreement
    twinning: Agreement
    terminated: Agreement
    lang_son_agreement: Agreement
    party_review: Review
    state_review: Review
    previous_review: Review
    lang_son_review: Review
    national_user: User
    hue_user: User
    lang_son_user: User


@pytest.fixture
def world(db):
    hue = AdministrativeUnit.objects.current().get(code="46")
    lang_son = AdministrativeUnit.objects.current().get(code="20")
    communes = list(AdministrativeUnit.objects.communes().filter(parent=hue).order_by("code")[:3])
    AdministrativeUnit.objects.filter(pk__in=[c.pk for c in communes]).update(is_border=True)
    # A border commune of another province must not count in Huế's figures.
    AdministrativeUnit.objects.filter(
        pk=AdministrativeUnit.objects.communes().filter(parent=lang_son).order_by("code")[0].pk
    ).update(is_border=True)

    P, C = Level.PROVINCE, Level.COMMUNE
    bg_central = org("Bộ Tư lệnh Bộ đội Biên phòng", Kind.BORDER_GUARD_COMMAND, Level.CENTRAL)
    military = org("Đảng ủy Quân sự thành phố Huế", Kind.BORDER_GUARD_PARTY_COMMITTEE, P, hue)
    bg_party = org(
        "Đảng ủy Ban Chỉ huy Bộ đội Biên phòng thành phố Huế",
        Kind.BORDER_GUARD_PARTY_COMMITTEE,
        P,
        hue,
        parent=military,
        area=hue,
    )
    bg_command = org(
        "Ban Chỉ huy Bộ đội Biên phòng thành phố Huế", Kind.BORDER_GUARD_COMMAND, P, hue
    )
    city_committee = org("Thành ủy Huế", Kind.LOCAL_PARTY_COMMITTEE, P, hue, area=hue)
    peoples_committee = org("Ủy ban nhân dân thành phố Huế", Kind.PEOPLES_COMMITTEE, P, hue)
    post_a = org("Đồn Biên phòng A Lưới", Kind.BORDER_POST, C, hue, parent=bg_command)
    post_b = org("Đồn Biên phòng Hồng Vân", Kind.BORDER_POST, C, hue, parent=bg_command)
    post_a.covered_communes.set(communes[:2])
    post_b.covered_communes.set(communes[2:])
    commune_committees = [
        org(f"Đảng ủy {c.name}", Kind.LOCAL_PARTY_COMMITTEE, C, hue, area=c) for c in communes
    ]
    department = org("Sở Ngoại vụ thành phố Huế", Kind.DEPARTMENT, P, hue)
    enterprise = org("Công ty cổ phần Cảng Chân Mây", Kind.ENTERPRISE, P, hue)

    lead, party = AgreementParty.Role.LEAD, AgreementParty.Role.PARTY
    regulation_communes = agreement(
        "Quy chế phối hợp giữa Đồn Biên phòng A Lưới và Đảng ủy các xã biên giới",
        Agreement.Kind.REGULATION,
        hue,
        [(post_a, lead), (commune_committees[0], party), (commune_committees[1], party)],
        number="05-QC/ĐU",
        signed_on=D(2025, 1, 12),
        valid_from=D(2025, 1, 12),
        valid_until=D(2030, 12, 31),
    )
    regulation_city = agreement(
        "Quy chế phối hợp giữa Đảng ủy Ban Chỉ huy BĐBP và Thành ủy Huế",
        Agreement.Kind.REGULATION,
        hue,
        [(bg_party, lead), (city_committee, party)],
        number="01-QC/ĐU",
        signed_on=D(2023, 3, 1),
        valid_from=D(2023, 3, 1),
        valid_until=D(2028, 3, 1),
    )
    twinning = agreement(
        "Giao ước kết nghĩa giữa Sở Ngoại vụ và Ban Chỉ huy BĐBP thành phố",
        Agreement.Kind.TWINNING,
        hue,
        [(bg_command, lead), (department, party)],
        number="02-KN",
        signed_on=D(2024, 3, 3),
        valid_from=D(2024, 3, 3),
    )
    terminated = agreement(
        "Quy chế phối hợp với Huyện ủy A Lưới (cũ)",
        Agreement.Kind.REGULATION,
        hue,
        [(bg_party, lead), (commune_committees[2], party)],
        number="07-QC/ĐU",
        signed_on=D(2021, 5, 1),
        valid_from=D(2021, 5, 1),
        valid_until=D(2026, 5, 1),
        status=Agreement.Status.TERMINATED,
        ended_on=D(2025, 7, 1),
        termination_reason=Agreement.TerminationReason.PARTNER_DISSOLVED,
    )
    agreement(
        "Dự thảo quy chế chưa ký",
        Agreement.Kind.REGULATION,
        hue,
        [(post_b, lead)],
        valid_from=D(2025, 6, 1),
        status=Agreement.Status.DRAFT,
    )
    lang_son_post = org("Đồn Biên phòng Tân Thanh", Kind.BORDER_POST, C, lang_son)
    lang_son_agreement = agreement(
        "Quy chế phối hợp của Đồn Biên phòng Tân Thanh",
        Agreement.Kind.REGULATION,
        lang_son,
        [(lang_son_post, lead)],
        number="03-QC/ĐU",
        signed_on=D(2024, 1, 5),
        valid_from=D(2024, 1, 5),
    )

    previous_review = Review.objects.create(
        agreement=regulation_city,
        kind=Review.Kind.ANNUAL,
        year=2024,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
    )
    values(previous_review, joint_patrols="1200", fines="2500")

    party_review = Review.objects.create(
        agreement=regulation_city,
        kind=Review.Kind.ANNUAL,
        year=2025,
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
        held_on=D(2025, 12, 28),
        held_at="Huế",
        situation="Tình hình biên giới ổn định.\nĐời sống Nhân dân từng bước được nâng lên.",
        results_leadership="Hai bên ban hành kế hoạch thực hiện quy chế.",
        shortcomings="Trao đổi thông tin có lúc chưa kịp thời.",
        causes="Địa bàn rộng, giao thông khó khăn.",
        lessons="Phải giữ giao ban định kỳ.",
        directions="Tiếp tục thực hiện sáu biện pháp trọng tâm.",
        proposals="Đề nghị Thành ủy hỗ trợ kinh phí xây nhà cho hộ nghèo.",
        report_number="12",
        report_symbol="BC/ĐU",
        report_date=D(2026, 1, 5),
        report_place="Huế",
        issuing_organization=bg_party,
        signer_name="Nguyễn Văn Hùng",
        signer_title="Phó Bí thư",
        recipients="Thường trực Thành ủy (để b/c);\n- Đảng ủy Bộ đội Biên phòng;\nLưu: VT, Văn phòng",
    )
    ReviewFocusResult.objects.create(
        review=party_review,
        focus_area=FocusArea.objects.get(code="information_exchange"),
        text="Trao đổi 49 lượt thông tin.",
    )
    ReviewFocusResult.objects.create(
        review=party_review,
        focus_area=FocusArea.objects.get(code="sovereignty_security"),
        text="Tuần tra 1.352 lần.",
    )
    values(party_review, joint_patrols="1352", patrol_participants="15942", fines="3000.5")

    state_review = Review.objects.create(
        agreement=regulation_communes,
        kind=Review.Kind.ANNUAL,
        year=2025,
        period_start=D(2025, 1, 12),
        period_end=D(2025, 12, 31),
        situation="Các xã biên giới an ninh ổn định.",
        proposals="Đề nghị bổ sung kinh phí tuần tra.",
        report_number="15",
        report_symbol="BC-UBND",
        report_date=D(2026, 1, 9),
        report_place="Huế",
        issuing_organization=peoples_committee,
        signer_name="Trần Thị Lan",
        signer_title="Phó Chủ tịch",
        signer_on_behalf=True,
        recipients="Ủy ban nhân dân các xã biên giới",
    )
    values(state_review, joint_patrols="48", meetings="4")

    lang_son_review = Review.objects.create(
        agreement=lang_son_agreement,
        kind=Review.Kind.ANNUAL,
        year=2025,
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
    )
    values(lang_son_review, joint_patrols="700")

    national_user = User.objects.create_user("national", organization=bg_central)
    hue_user = User.objects.create_user("hue", organization=bg_command)
    lang_son_user = User.objects.create_user(
        "langson",
        organization=org("Ban Chỉ huy BĐBP Lạng Sơn", Kind.BORDER_GUARD_COMMAND, P, lang_son),
    )
    # The figures went in through the ORM, past the services that keep the stored totals.
    indicator_totals_rebuild()
    return World(
        hue=hue,
        lang_son=lang_son,
        communes=communes,
        post_a=post_a,
        post_b=post_b,
        bg_party=bg_party,
        bg_command=bg_command,
        peoples_committee=peoples_committee,
        department=department,
        enterprise=enterprise,
        regulation_communes=regulation_communes,
        regulation_city=regulation_city,
        twinning=twinning,
        terminated=terminated,
        lang_son_agreement=lang_son_agreement,
        party_review=party_review,
        state_review=state_review,
        previous_review=previous_review,
        lang_son_review=lang_son_review,
        national_user=national_user,
        hue_user=hue_user,
        lang_son_user=lang_son_user,
    )
