"""Reads for the reports: each gathers one plain data structure, never writes.

The structures hold everything a report shows and nothing else, so hashing one gives
the fingerprint its cached PDF is keyed by (reports.renderer).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from agreements.coverage import coverage_report
from agreements.coverage import facts as coverage_facts
from agreements.coverage_map import CoverageMap, coverage_map
from agreements.models import (
    Agreement,
    AgreementParty,
    Indicator,
    IndicatorTotal,
    IndicatorValue,
    Review,
    ReviewFocusResult,
    in_force_during_q,
    in_force_q,
)
from agreements.selectors import coverage_table, data_stamp
from deadlines.rules import obligation_day as annual_review_due_on
from deadlines.selectors import Completeness, completeness, reviews_missing
from documents.models import OrganizationHeader
from reports import profiles
from reports.charts import BarChart, bar_chart
from reports.headers import break_lines
from units.models import AdministrativeUnit, Level, Organization
from units.text import nfc

# The indicator a province's chart follows across years, when it has figures.
CHART_INDICATOR = "joint_patrols"
# Whose proposals the annual summary gathers: the year's reviews, annual or final.
PROPOSAL_REVIEW_KINDS = (Review.Kind.ANNUAL, Review.Kind.FINAL)
CHART_YEARS = 5


@dataclass
class DocumentHead:
    """Everything around the body of an official document: header, title, signature."""

    profile: str
    # The header's left column, line by line (reports.headers): superior, then issuer.
    parent_lines: list[str]
    issuer_lines: list[str]
    author: str
    number_line: str
    place_date: str
    is_draft: bool
    title: str
    summary: str
    signature_lines: list[str]
    signer_name: str
    recipients: list[str]
    # Why this draft could not be issued as it stands, printed on the draft.
    warnings: list[str] = field(default_factory=list)


@dataclass
class IndicatorRow:
    name: str
    unit: str
    value: Decimal | None
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.previous:
            return None
        return (self.change * 100 / self.previous).quantize(Decimal("0.1"))


def compares(rows: list[IndicatorRow]) -> bool:
    """Comparison columns only where a previous year has figures to compare with."""
    return any(row.previous is not None for row in rows)


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def compares(self) -> bool:
        return compares(self.indicators)


@dataclass
class ReviewSummary:
    head: DocumentHead
    year: int
    previous_year: int
    opening: str
    sections: list[Section]


@dataclass
class AgreementRow:
    number: str
    title: str
    province: str
    parties: list[str]
    signed_on: datetime.date | None
    period: str
    status: str
    reviewed: bool
    term: str = ""


@dataclass
class CountRow:
    label: str
    count: int


@dataclass
class ProvinceRow:
    code: str
    name: str
    in_force: int
    # The year's annual reviews, as the completeness page counts them.
    reviews: Completeness
    border_communes: int = 0
    covered_communes: int = 0
    border_posts: int = 0
    posts_with_agreement: int = 0


@dataclass
class Coverage:
    border_communes: int
    covered_communes: int
    border_posts: int
    posts_with_agreement: int
    twinning_targets: int
    twinned: int
    not_twinned: list[str]
    # Per province id: the same four figures, for the national summary's table.
    by_province: dict[int, dict[str, int]]
    # Before the 2025 reform: border districts, and those with a regulation in force.
    border_districts: int | None = None
    districts_with_regulation: int | None = None
    map: CoverageMap | None = None


@dataclass
class Proposal:
    text: str
    count: int
    # The documents it came from, when few enough to name (profiles.MAX_PROPOSAL_SOURCES_NAMED).
    sources: list[str]


@dataclass
class AnnualSummary:
    head: DocumentHead
    year: int
    scope_code: str
    scope_name: str
    scope_phrase: str
    as_of: datetime.date
    agreement_counts: list[CountRow]
    # In force on as_of: the total of the provinces' column.
    in_force: int
    # Expected, held, on time, late and missing, as the completeness page counts them.
    reviews: Completeness
    missing_reviews: list[AgreementRow]
    indicators: list[IndicatorRow]
    coverage: Coverage
    provinces: list[ProvinceRow]
    chart: BarChart | None
    proposals: list[Proposal]
    appendix: list[AgreementRow]

    @property
    def indicators_compare(self) -> bool:
        return compares(self.indicators)

    @property
    def provinces_with_border_units(self) -> list[ProvinceRow]:
        """The coverage table's rows: numbered in the template, so filtered here."""
        return [p for p in self.provinces if p.border_communes or p.border_posts]


def paragraphs(text: str | None) -> list[str]:
    """One paragraph per non-empty line, as officials type them into the form."""
    return [line.strip() for line in nfc(text).splitlines() if line.strip()]


def upper(text: str | None) -> str:
    return nfc(text).upper()


def place_name(unit: AdministrativeUnit | None, on: datetime.date | None = None) -> str:
    """ "Huế" for "Thành phố Huế": documents name the place without its type, by its
    name on the document's day `on`."""
    if unit is None:
        return ""
    name = nfc(unit.name_on(on))
    for prefix in profiles.PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def date_words(on: datetime.date) -> tuple[str, str]:
    """Day and month as a date line writes them: "05", "17"; "01", "02", "4", "12"."""
    day = f"{on.day:02d}" if on.day < 10 else str(on.day)
    month = f"{on.month:02d}" if on.month in profiles.ZERO_PADDED_MONTHS else str(on.month)
    return day, month


def place_date(place: str, on: datetime.date | None, year: int) -> str:
    if on is None:
        return profiles.DATE_BLANK.format(place=place, year=year)
    day, month = date_words(on)
    return profiles.DATE_FORMAT.format(place=place, day=day, month=month, year=on.year)


def archive_line(profile: profiles.DocumentProfile, unit: str = "") -> str:
    unit = unit.strip(" \t-–•;.,")
    if unit:
        return profile.archive_line.format(unit=unit)
    return profile.archive_line_without_unit


def recipient_lines(
    text: str | None, profile: profiles.DocumentProfile = profiles.STATE, unit: str = ""
) -> list[str]:
    """ "- X;" per recipient, then the profile's archive line ("- Lưu: VT, TM.").

    An archive line typed among the recipients names the drafting unit for a state
    document ("Lưu: VT, Văn phòng"); its wording is the profile's either way.
    """
    items = [line.strip(" \t-–•;.,") for line in nfc(text).splitlines()]
    items = [item for item in items if item]
    typed = [item for item in items if item.startswith("Lưu")]
    items = [item for item in items if not item.startswith("Lưu")]
    if typed and not unit:
        unit = typed[0].removeprefix("Lưu").strip(" :").removeprefix("VT").strip(" ,")
    return [f"- {item};" for item in items] + [f"- {archive_line(profile, unit)}"]


def head_title(organization: Organization | None) -> str:
    if organization is None:
        return ""
    if organization.level == Level.CENTRAL and organization.kind in profiles.CENTRAL_HEAD_TITLES:
        return profiles.CENTRAL_HEAD_TITLES[organization.kind]
    return profiles.HEAD_TITLES.get(organization.kind, "")


def profile_title(
    profile: profiles.DocumentProfile, text: str | None, organization: Organization | None
) -> str:
    """The profile's title a typed one means: "Bí thư Đảng ủy" signs as "BÍ THƯ"."""
    typed = upper(text)
    matches = [t for t in profile.titles if typed == t or typed.startswith(t + " ")]
    if matches:
        return max(matches, key=len)
    head = head_title(organization)
    return head if head in profile.titles else profile.titles[0]


def signature_lines(
    profile: profiles.DocumentProfile,
    organization: Organization | None,
    signer_title: str,
    on_behalf: bool,
) -> list[str]:
    """The capitalised lines above the signature of a draft, by the profile's rules.

    A party committee always signs collectively ("T/M BAN THƯỜNG VỤ" over the
    signer's own title) and never "K/T"; a state body's deputy signs "KT." for the
    head, under "TM." when the body is collective (a people's committee).
    """
    title = profile_title(profile, signer_title, organization)
    if profile is profiles.PARTY:
        return issued_signature_lines(profile, organization, profile.collective_prefix, title)
    deputy = on_behalf and title.startswith(profiles.DEPUTY_WORD)
    kind = organization.kind if organization else None
    if deputy:
        return issued_signature_lines(profile, organization, profile.deputy_prefix, title)
    if kind in profiles.COLLECTIVE_BODIES:
        return issued_signature_lines(profile, organization, profile.collective_prefix, title)
    return [title]


def issued_signature_lines(
    profile: profiles.DocumentProfile,
    organization: Organization | None,
    capacity: str,
    title: str,
) -> list[str]:
    """The lines above the signature for a capacity and title chosen from the profile.

    "TM."/"T/M" signs for the collective body (or the head of a body that is not
    one); "KT.", "TL.", "TUQ." for the head; "Q." is an acting head and prints one line.
    """
    kind = organization.kind if organization else None
    collective = profiles.COLLECTIVE_BODIES.get(kind)
    head = (
        title.removeprefix(profiles.DEPUTY_WORD)
        if title.startswith(profiles.DEPUTY_WORD)
        else (head_title(organization) or title)
    )
    if not capacity:
        return [title]
    if capacity == "Q.":
        return [f"{capacity} {title}"]
    if capacity == profile.collective_prefix:
        return [f"{capacity} {collective or head}", title]
    lines = [f"{profile.collective_prefix} {collective}"] if collective else []
    return [*lines, f"{capacity} {head}", title]


@dataclass(frozen=True)
class Issue:
    """What issuing adds to a draft: the issuer, its number, date, signer and recipients."""

    organization: Organization
    number_line: str
    issued_on: datetime.date
    signer_name: str
    signature_lines: list[str]
    recipients: list[str]


def current_header(organization: Organization, on: datetime.date) -> OrganizationHeader | None:
    """The header lines recorded for `organization` valid on `on`, if any."""
    return (
        OrganizationHeader.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gt=on),
            organization=organization,
        )
        .order_by(F("valid_from").desc(nulls_last=True), "-id")
        .first()
    )


def default_header_lines(
    organization: Organization, profile: profiles.DocumentProfile
) -> tuple[list[str], list[str]]:
    """The lines made from the name and parent, until someone records the real ones."""
    parent = organization.parent
    return (
        break_lines(upper(parent.name), profile, bold=False) if parent else [],
        break_lines(upper(organization.name), profile, bold=True),
    )


@dataclass(frozen=True)
class Header:
    parent_lines: list[str]
    issuer_lines: list[str]
    abbreviation: str


def issuer_header(
    organization: Organization | None, profile: profiles.DocumentProfile, on: datetime.date
) -> Header:
    """What an issuer's documents print on `on`: its recorded header, or the default."""
    if organization is None:
        return Header([], [], default_abbreviation(None))
    stored = current_header(organization, on)
    if stored is not None:
        return Header(stored.superior(), stored.own(), stored.abbreviation)
    parent_lines, issuer_lines = default_header_lines(organization, profile)
    return Header(parent_lines, issuer_lines, default_abbreviation(organization))


def header_lines(
    organization: Organization | None, profile: profiles.DocumentProfile, on: datetime.date
) -> tuple[list[str], list[str]]:
    """The superior's lines and the issuer's own lines its documents print on `on`."""
    header = issuer_header(organization, profile, on)
    return header.parent_lines, header.issuer_lines


def default_abbreviation(organization: Organization | None) -> str:
    """ "ĐU", "TU", "BCH", "UBND": the issuer's part of a symbol, before it is recorded."""
    if organization is None:
        return profiles.ABBREVIATIONS[Organization.Kind.BORDER_GUARD_COMMAND]
    name = upper(organization.name)
    for start, short in profiles.NAME_ABBREVIATIONS:
        if name.startswith(start):
            return short
    if organization.level == Level.CENTRAL and organization.kind in profiles.CENTRAL_ABBREVIATIONS:
        return profiles.CENTRAL_ABBREVIATIONS[organization.kind]
    return profiles.ABBREVIATIONS.get(organization.kind, nfc(organization.short_name) or "VP")


def abbreviation(organization: Organization | None, on: datetime.date) -> str:
    stored = current_header(organization, on) if organization else None
    return stored.abbreviation if stored else default_abbreviation(organization)


def document_symbol(
    profile: profiles.DocumentProfile, issuer_abbreviation: str, doc_type: str = "BC"
) -> str:
    """ "BC/ĐU" for a party committee, "BC-BCH" for a state body."""
    return f"{doc_type}{profile.symbol_separator}{issuer_abbreviation}"


def header_warnings(profile: profiles.DocumentProfile, parent_lines: list[str]) -> list[str]:
    if profile is profiles.PARTY and not parent_lines:
        return [profiles.NO_SUPERIOR_WARNING]
    return []


def reviews_for_report() -> QuerySet:
    """The reviews a report view fetches, with what the header needs."""
    return Review.objects.select_related(
        "agreement",
        "agreement__province",
        "issuing_organization__parent",
        "issuing_organization__area",
    )


def _parties(agreement: Agreement) -> list[AgreementParty]:
    return list(agreement.parties.select_related("organization__parent", "organization__area"))


def _group_name(organizations: list[Organization]) -> str:
    """ "Huyện ủy 7 huyện biên giới": parties of one kind, named by kind and counted."""
    first = organizations[0]
    template = profiles.PARTY_GROUPS.get(
        (first.kind, first.level), profiles.PARTY_GROUPS.get((first.kind, None))
    )
    return (template or profiles.MANY_PARTIES).format(count=len(organizations))


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]


def party_names(parties: list[AgreementParty]) -> tuple[str, str]:
    """The lead party's name and the others', as people name them.

    Up to MAX_PARTIES_NAMED others are named one by one; more are grouped by kind and
    level and counted ("Huyện ủy 7 huyện biên giới"), a lone one of its kind by name.
    """
    signing = [p for p in parties if p.role != AgreementParty.Role.WITNESS]
    if not signing:
        return "", ""
    leads = [p for p in signing if p.role == AgreementParty.Role.LEAD] or signing[:1]
    lead = leads[0]
    others = [p.organization for p in signing if p is not lead]
    if len(others) <= profiles.MAX_PARTIES_NAMED:
        return nfc(lead.organization.name), _join([nfc(o.name) for o in others]) if others else ""
    groups: dict[tuple[str, str], list[Organization]] = {}
    for organization in others:
        groups.setdefault((organization.kind, organization.level), []).append(organization)
    names = [
        nfc(members[0].name) if len(members) == 1 else _group_name(members)
        for members in groups.values()
    ]
    return nfc(lead.organization.name), _join(names)


def _summary_line(review: Review, parties: list[AgreementParty]) -> str:
    phrase = profiles.REVIEW_KIND_PHRASES[review.kind].format(year=review.year)
    noun = profiles.AGREEMENT_NOUNS[review.agreement.kind]
    lead, others = party_names(parties)
    if not lead:
        return f"{phrase} thực hiện {noun}"
    if not others:
        return f"{phrase} thực hiện {noun} của {lead}"
    return f"{phrase} thực hiện {noun} giữa {lead} và {others}"


def conference_opening(review: Review, parties: list[AgreementParty]) -> str:
    """The opening paragraph: when and where the conference was held, by whom, who chaired
    and who attended; empty when the date of the conference is not recorded."""
    if review.held_on is None:
        return ""
    lead, others = party_names(parties)
    day, month = date_words(review.held_on)
    phrase = profiles.REVIEW_KIND_PHRASES[review.kind].format(year=review.year)
    text = profiles.CONFERENCE_OPENING.format(
        date=f"{day}/{month}/{review.held_on.year}",
        place=nfc(review.held_at) or place_name(review.agreement.province),
        organizers=f"{lead} và {others}" if others else lead,
        phrase=phrase[0].lower() + phrase[1:],
        noun=profiles.AGREEMENT_NOUNS[review.agreement.kind],
    )
    if review.chaired_by.strip():
        chair = nfc(review.chaired_by).strip(" .;")
        # "đồng chí" is a common noun inside the sentence.
        chair = "đ" + chair[1:] if chair.startswith("Đồng chí") else chair
        text += profiles.CONFERENCE_CHAIR.format(chair=chair)
    attendees = " ".join(paragraphs(review.attendees)).strip(" .;")
    if attendees:
        text += profiles.CONFERENCE_ATTENDEES.format(attendees=attendees[0].lower() + attendees[1:])
    return text + "."


def _indicator_rows(review: Review) -> list[IndicatorRow]:
    current = list(review.indicator_values.select_related("indicator"))
    previous = dict(
        IndicatorValue.objects.filter(
            review__agreement_id=review.agreement_id,
            review__kind=Review.Kind.ANNUAL,
            review__year=review.year - 1,
        ).values_list("indicator_id", "value")
    )
    return [
        IndicatorRow(
            name=nfc(v.indicator.name),
            unit=nfc(v.indicator.unit),
            value=v.value,
            previous=previous.get(v.indicator_id),
        )
        for v in current
    ]


def _numbered(sections: list[Section], numerals) -> list[Section]:
    kept = [s for s in sections if s.paragraphs or s.subsections or s.indicators]
    for number, section in zip(numerals, kept, strict=False):
        section.heading = f"{number}. {section.heading}"
    return kept


def review_summary_data(review: Review, issue: "Issue | None" = None) -> ReviewSummary:
    """The review summary (báo cáo sơ kết) of one review, ready to lay out.

    Without `issue` it is the live draft; with it, the document as issued.
    """
    agreement = review.agreement
    parties = _parties(agreement)
    issuer = issue.organization if issue else review.issuing_organization
    if issuer is None and parties:
        leads = [p for p in parties if p.role == AgreementParty.Role.LEAD] or parties
        issuer = leads[0].organization
    profile = profiles.profile_for(issuer.kind if issuer else None)
    on = issue.issued_on if issue else review.report_date
    place = place_name((issuer.area if issuer else None) or agreement.province, on)
    if not issue:
        place = nfc(review.report_place) or place
    parent_lines, issuer_lines = header_lines(issuer, profile, on or timezone.localdate())
    final = issue is not None or review.is_final_document
    head = DocumentHead(
        profile=profile.key,
        parent_lines=parent_lines,
        issuer_lines=issuer_lines,
        author=nfc(issuer.name) if issuer else "",
        number_line=issue.number_line
        if issue
        else profile.number_line(
            nfc(review.report_number) if final else "", nfc(review.report_symbol)
        ),
        place_date=place_date(place, on, on.year if on else timezone.localdate().year),
        is_draft=not final,
        title=profiles.REPORT_TYPE,
        summary=_summary_line(review, parties),
        signature_lines=issue.signature_lines
        if issue
        else signature_lines(profile, issuer, review.signer_title, review.signer_on_behalf),
        signer_name=issue.signer_name if issue else nfc(review.signer_name),
        recipients=issue.recipients if issue else recipient_lines(review.recipients, profile),
        warnings=header_warnings(profile, parent_lines) if not issue else [],
    )

    names = profiles.REVIEW_SECTIONS
    focus = [
        Section(heading=nfc(r.focus_area.name), paragraphs=paragraphs(r.text))
        for r in ReviewFocusResult.objects.filter(review=review).select_related("focus_area")
    ]
    results = _numbered(
        [
            Section(heading=names["leadership"], paragraphs=paragraphs(review.results_leadership)),
            Section(heading=names["focus"], subsections=focus),
            Section(heading=names["indicators"], indicators=_indicator_rows(review)),
        ],
        range(1, 20),
    )
    for index, section in enumerate(results, start=1):
        for sub_index, sub in enumerate(section.subsections, start=1):
            sub.heading = f"{index}.{sub_index}. {sub.heading}"
    shortcomings = _numbered(
        [
            Section(heading=names["shortcomings"], paragraphs=paragraphs(review.shortcomings)),
            Section(heading=names["causes"], paragraphs=paragraphs(review.causes)),
        ],
        range(1, 20),
    )
    sections = _numbered(
        [
            Section(heading=names["situation"], paragraphs=paragraphs(review.situation)),
            Section(heading=names["results"], subsections=results),
            Section(heading=names["shortcomings_causes"], subsections=shortcomings),
            Section(heading=names["lessons"], paragraphs=paragraphs(review.lessons)),
            Section(heading=names["directions"], paragraphs=paragraphs(review.directions)),
            Section(heading=names["proposals"], paragraphs=paragraphs(review.proposals)),
        ],
        profiles.ROMAN,
    )
    return ReviewSummary(
        head=head,
        year=review.year,
        previous_year=review.year - 1,
        opening=conference_opening(review, parties),
        sections=sections,
    )


# Annual summary ------------------------------------------------------------------------


def status_on(agreement: Agreement, on: datetime.date) -> str:
    """The agreement's state on `on`, judged by its dates as in_force_q judges them,
    not by today's status: a summary of 2023 shows the agreements of 31/12/2023."""
    status = Agreement.Status
    if agreement.status == status.DRAFT:
        key = "draft"
    elif agreement.ended_on is not None and agreement.ended_on <= on:
        key = agreement.status if agreement.status != status.IN_FORCE else "expired"
    elif agreement.valid_until is not None and agreement.valid_until < on:
        key = "expired"
    elif agreement.valid_from > on:
        key = "not_yet"
    else:
        key = "in_force"
    return profiles.STATUS_ON_DAY[key]


def _agreement_row(agreement: Agreement, reviewed: bool, on: datetime.date) -> AgreementRow:
    return AgreementRow(
        number=nfc(agreement.number),
        title=nfc(agreement.title),
        province=nfc(agreement.province.name) if agreement.province else "",
        parties=[nfc(p.organization.name) for p in agreement.parties.all()],
        signed_on=agreement.signed_on,
        period=agreement.period_label,
        status=status_on(agreement, on),
        reviewed=reviewed,
        term=agreement.term_label,
    )


def _annual_issuer(province: AdministrativeUnit | None) -> Organization | None:
    commands = Organization.objects.filter(
        kind=Organization.Kind.BORDER_GUARD_COMMAND, dissolved_on__isnull=True
    ).select_related("parent", "area")
    if province is None:
        commands = commands.filter(level=Level.CENTRAL)
    else:
        commands = commands.filter(province=province, level=Level.PROVINCE)
    return commands.order_by("id").first()


def province_name(province: AdministrativeUnit, on: datetime.date | None = None) -> str:
    """ "Thành phố Huế", "Tỉnh Cao Bằng": the official names of a tỉnh omit the word.

    With `on`, the name and type of that day (Đồng Nai was a tỉnh until 24/04/2026).
    """
    name = nfc(province.name_on(on))
    if province.type_on(on) == AdministrativeUnit.Type.PROVINCE:
        return f"Tỉnh {name}"
    return name


def scope_phrase(province: AdministrativeUnit | None, on: datetime.date | None = None) -> str:
    """ "trên địa bàn thành phố Huế", "trên địa bàn tỉnh Cao Bằng", "trên phạm vi toàn quốc"."""
    if province is None:
        return profiles.NATIONAL_SCOPE_PHRASE
    name = province_name(province, on)
    return profiles.PROVINCE_SCOPE_PHRASE.format(province=name[0].lower() + name[1:])


def _annual_head(
    province: AdministrativeUnit | None,
    year: int,
    today: datetime.date,
    issue: "Issue | None" = None,
) -> DocumentHead:
    issuer = issue.organization if issue else _annual_issuer(province)
    profile = profiles.profile_for(issuer.kind if issuer else None)
    on = issue.issued_on if issue else today
    if province is None:
        default_parent, default_issuer = profiles.NATIONAL_ISSUER
        place = profiles.NATIONAL_PLACE
        recipients = profiles.NATIONAL_RECIPIENTS
    else:
        default_parent, default_issuer = profiles.PROVINCE_ISSUER
        default_parent = default_parent.format(province=upper(province_name(province)))
        place = place_name(province)
        recipients = profiles.PROVINCE_RECIPIENTS
    header = issuer_header(issuer, profile, on)
    if issuer is not None:
        place = place_name(issuer.area) or place
        parent_lines, issuer_lines = header.parent_lines, header.issuer_lines
        parent_lines = parent_lines or break_lines(default_parent, profile, bold=False)
        author = nfc(issuer.name)
        title = head_title(issuer)
    else:
        parent_lines = break_lines(default_parent, profile, bold=False)
        issuer_lines = break_lines(default_issuer, profile, bold=True)
        author = default_issuer.title()
        title = (
            profiles.CENTRAL_HEAD_TITLES[Organization.Kind.BORDER_GUARD_COMMAND]
            if (province is None)
            else profiles.HEAD_TITLES[Organization.Kind.BORDER_GUARD_COMMAND]
        )
    return DocumentHead(
        profile=profile.key,
        parent_lines=parent_lines,
        issuer_lines=issuer_lines,
        author=author,
        number_line=issue.number_line
        if issue
        else profile.number_line("", document_symbol(profile, header.abbreviation)),
        place_date=place_date(place, issue.issued_on if issue else None, on.year),
        is_draft=issue is None,
        title=profiles.REPORT_TYPE,
        summary=profiles.ANNUAL_SUMMARY_PHRASE.format(
            year=year, scope=scope_phrase(province, annual_review_due_on(year, today))
        ),
        signature_lines=issue.signature_lines if issue else [title],
        signer_name=issue.signer_name if issue else "",
        recipients=issue.recipients
        if issue
        else [f"- {r};" for r in recipients] + [f"- {archive_line(profile)}"],
        warnings=[] if issue else header_warnings(profile, parent_lines),
    )


def _coverage(province: AdministrativeUnit | None, as_of: datetime.date) -> Coverage:
    """Coverage by the one rule (agreements.coverage): the scope's figures and map, and
    for the national summary the table per province of the day."""
    known = coverage_facts(as_of)
    report = coverage_report(scope=province, on=as_of, lists=False, known=known)
    by_province = {
        pk: {
            "border_communes": row.communes_total,
            "covered_communes": row.communes_covered,
            "border_posts": row.posts_total,
            "posts_with_agreement": row.posts_covered,
        }
        for pk, row in (coverage_table(known=known) if province is None else {}).items()
        if pk is not None
    }
    return Coverage(
        border_communes=report.communes_total,
        covered_communes=report.communes_covered,
        border_posts=report.posts_total,
        posts_with_agreement=report.posts_covered,
        twinning_targets=report.twinning_targets,
        twinned=report.twinned,
        not_twinned=[nfc(org.name) for org in report.not_twinned],
        by_province=by_province,
        border_districts=report.districts_total,
        districts_with_regulation=report.districts_covered,
        map=coverage_map(report.points),
    )


def _indicator_totals(
    province: AdministrativeUnit | None, year: int
) -> dict[tuple[int, int], Decimal]:
    """Totals of the annual reviews' figures by (indicator, year), for the chart's years.

    Read from the stored yearly totals (agreements.models.IndicatorTotal): the live sum
    reads 200,000 values for the national summary, the stored one a few hundred rows.
    """
    # The national chart shows coverage, so it needs this year and the last only.
    first = year - CHART_YEARS + 1 if province is not None else year - 1
    stored = IndicatorTotal.objects.filter(year__gte=first, year__lte=year, figures__gt=0)
    if province is not None:
        stored = stored.filter(province=province)
    rows = stored.order_by().values_list("indicator_id", "year").annotate(sum=Sum("total"))
    return {(indicator, y): total for indicator, y, total in rows}


def _chart(
    province: AdministrativeUnit | None,
    province_rows: list[ProvinceRow],
    indicators: list[Indicator],
    totals: dict[tuple[int, int], Decimal],
    year: int,
) -> BarChart | None:
    """Coverage per province (national), or one indicator across five years (province)."""
    if province is None:
        bars = [
            (p.name, Decimal(p.covered_communes * 100) / p.border_communes)
            for p in province_rows
            if p.border_communes
        ]
        return bar_chart("Tỷ lệ xã, phường biên giới có văn bản phối hợp với đồn (%)", bars)
    with_figures = [i for i in indicators if any(key[0] == i.pk for key in totals)]
    if not with_figures:
        return None
    chosen = next((i for i in with_figures if i.code == CHART_INDICATOR), None) or max(
        with_figures, key=lambda i: totals.get((i.pk, year), Decimal(0))
    )
    # A year without figures is left out rather than drawn as a zero.
    years = [y for y in range(year - CHART_YEARS + 1, year + 1) if (chosen.pk, y) in totals]
    bars = [(str(y), totals[(chosen.pk, y)]) for y in years]
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return bar_chart(f"{nfc(chosen.name)} ({nfc(chosen.unit)}), {span}", bars)


COUNT_LABELS = {
    "during": "Có hiệu lực trong năm",
    "in_force": "Đang có hiệu lực tại ngày {as_of:%d/%m/%Y}",
    "signed": "Ký kết mới trong năm",
    "expired": "Hết hiệu lực trong năm",
    "terminated": "Chấm dứt trong năm",
    "superseded": "Được thay thế trong năm",
}


def _counts_by_province(
    scoped: QuerySet, year: int, as_of: datetime.date
) -> dict[int | None, dict[str, int]]:
    """What happened to the scope's agreements in the year, one aggregate query.

    Grouped by province, status and kind, the order of agreement_scope_dates_idx, so
    SQLite reads that index alone and sorts nothing; the conditions on status and kind
    are then applied to the groups here rather than to each of 20,000 rows.
    """
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    status = Agreement.Status
    conditions = {
        "during": in_force_during_q(start, end),
        "in_force": in_force_q(as_of),
        "signed": Q(signed_on__year=year),
        "expired": Q(valid_until__year=year, valid_until__lt=as_of),
        "ended": Q(ended_on__year=year),
    }
    groups = (
        scoped.order_by()
        .values("province_id", "status", "kind")
        .annotate(**{key: Count("pk", filter=condition) for key, condition in conditions.items()})
    )
    counts: dict[int | None, dict[str, int]] = {}
    for group in groups:
        row = counts.setdefault(group["province_id"], dict.fromkeys(COUNT_LABELS, 0))
        if group["status"] == status.DRAFT:
            continue
        for key in ("during", "in_force", "signed"):
            row[key] += group[key]
        if group["status"] in (status.IN_FORCE, status.EXPIRED):
            row["expired"] += group["expired"]
        elif group["status"] == status.TERMINATED:
            row["terminated"] += group["ended"]
        elif group["status"] == status.SUPERSEDED:
            row["superseded"] += group["ended"]
    return counts


# Above this many distinct wordings to name sources for, one ordered read of every
# review is cheaper than matching them (and stays far below SQLite's 32,766 parameters).
PROPOSAL_TEXTS_MATCHED = 500


def _proposals(province: AdministrativeUnit | None, year: int) -> list[Proposal]:
    """Every review's proposals, the same wording gathered once: most often raised first,
    then in the order of the documents (province, agreement, review).

    Counted per distinct text first, without joins: the country's thousands of reviews
    repeat a few wordings, and a proposal raised by many is shown with their number.
    Only the proposals few enough to name read their documents' numbers.
    """
    reviews = Review.objects.filter(year=year, kind__in=PROPOSAL_REVIEW_KINDS).exclude(proposals="")
    if province is not None:
        reviews = reviews.filter(agreement__province=province)
    texts = reviews.order_by().values_list("proposals").annotate(n=Count("pk"), first=Min("pk"))
    count: dict[str, int] = {}
    # Where a proposal first appears: the first review's id while it is only counted.
    position: dict[str, int] = {}
    found_in: dict[str, list[str]] = {}
    for text, n, first_review in texts:
        for paragraph in paragraphs(text):
            count[paragraph] = count.get(paragraph, 0) + n
            position[paragraph] = min(position.get(paragraph, first_review), first_review)
            found_in.setdefault(paragraph, []).append(text)
    limit = profiles.MAX_PROPOSAL_SOURCES_NAMED
    sources: dict[str, list[str]] = {p: [] for p, n in count.items() if n <= limit}
    if sources:
        few = {text for p in sources for text in found_in[p]}
        rows = reviews if len(few) > PROPOSAL_TEXTS_MATCHED else reviews.filter(proposals__in=few)
        ordered_rows = rows.order_by("agreement__province__code", "agreement_id", "id")
        for index, (text, number, title) in enumerate(
            ordered_rows.values_list("proposals", "agreement__number", "agreement__title")
        ):
            for paragraph in paragraphs(text):
                if paragraph in sources:
                    if not sources[paragraph]:
                        position[paragraph] = index
                    sources[paragraph].append(nfc(number) or nfc(title))
    # A proposal only counted always outnumbers one named, so positions of the two
    # kinds are never compared with each other.
    ordered = sorted(count, key=lambda p: (-count[p], position[p], p))
    return [Proposal(text=p, count=count[p], sources=sources.get(p, [])) for p in ordered]


def annual_summary_data(
    province: AdministrativeUnit | None,
    year: int,
    *,
    today: datetime.date | None = None,
    issue: Issue | None = None,
) -> AnnualSummary:
    """The annual summary of a province (or the whole country when `province` is None).

    A province's summary lists every agreement and every missing review. The national
    one counts them per province instead and lists only the national agreements: one
    row per agreement of the whole country would make a PDF of a thousand pages.
    """
    today = today or timezone.localdate()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    # The day counts and coverage are judged on, and the day reviews fall due on.
    as_of = annual_review_due_on(year, today)
    scoped = Agreement.objects.all()
    if province is not None:
        scoped = scoped.filter(province=province)

    by_province = _counts_by_province(scoped, year, as_of)
    totals_of = {key: sum(row[key] for row in by_province.values()) for key in COUNT_LABELS}
    # Reviews owed, held, on time: the deadlines rule, as the dashboard and the
    # completeness page count them (three queries, one grouped by province).
    reviews, reviews_by_province = completeness(scoped, year=year, today=today)
    counts = [
        CountRow(label.format(as_of=as_of), totals_of[key]) for key, label in COUNT_LABELS.items()
    ]

    listed = scoped if province is not None else scoped.filter(province__isnull=True)
    relevant = (
        listed.in_force_during(start, end)
        | listed.exclude(status=Agreement.Status.DRAFT).filter(
            Q(signed_on__year=year) | Q(ended_on__year=year)
        )
    ).distinct()
    agreements = list(
        relevant.select_related("province")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("organization"))
        )
        .annotate(
            reviewed=Exists(
                Review.objects.filter(agreement=OuterRef("pk"), year=year, kind=Review.Kind.ANNUAL)
            ),
        )
        .order_by("province__code", "kind", "valid_from", "id")
    )
    rows = [_agreement_row(a, a.reviewed, as_of) for a in agreements]
    # A province's summary lists its missing reviews; an agreement that owes one was in
    # force during the year, so it is among the rows.
    missing_ids = (
        set(reviews_missing(scoped, year=year, today=today).values_list("pk", flat=True))
        if province is not None
        else set()
    )
    missing = [row for a, row in zip(agreements, rows, strict=True) if a.pk in missing_ids]

    indicators = list(Indicator.objects.all())
    totals = _indicator_totals(province, year)
    indicator_rows = [
        IndicatorRow(
            name=nfc(i.name),
            unit=nfc(i.unit),
            value=totals.get((i.pk, year)),
            previous=totals.get((i.pk, year - 1)),
        )
        for i in indicators
        if (i.pk, year) in totals or (i.pk, year - 1) in totals
    ]

    # The provinces of the day, and any other whose agreements have figures (a former
    # province's, in a year before the reform), so that the columns add up to the totals.
    provinces = (
        [province]
        if province is not None
        else list(
            (
                AdministrativeUnit.objects.provinces().current(as_of)
                | AdministrativeUnit.objects.filter(pk__in=[pk for pk in by_province if pk])
            ).order_by("code")
        )
    )
    coverage = _coverage(province, as_of)
    empty = dict.fromkeys(totals_of, 0)
    no_reviews = Completeness(year=year)
    province_rows = [
        ProvinceRow(
            code=p.code,
            name=nfc(p.name),
            in_force=by_province.get(p.pk, empty)["in_force"],
            reviews=reviews_by_province.get(p.pk, no_reviews),
            **coverage.by_province.get(p.pk, {}),
        )
        for p in provinces
        if p.pk in by_province or p.pk in coverage.by_province
    ]
    if province is None and None in by_province:
        province_rows.append(
            ProvinceRow(
                code="",
                name=profiles.NATIONAL_ROW,
                in_force=by_province[None]["in_force"],
                reviews=reviews_by_province.get(None, no_reviews),
            )
        )
    return AnnualSummary(
        head=_annual_head(province, year, today, issue),
        year=year,
        scope_code=scope_label(province)[0],
        scope_name=scope_label(province)[1],
        scope_phrase=scope_phrase(province, as_of),
        as_of=as_of,
        agreement_counts=counts,
        in_force=totals_of["in_force"],
        reviews=reviews,
        missing_reviews=missing if province is not None else [],
        indicators=indicator_rows,
        coverage=coverage,
        provinces=province_rows if province is None else [],
        chart=_chart(province, province_rows, indicators, totals, year),
        proposals=_proposals(province, year),
        appendix=rows,
    )


def scope_label(province: AdministrativeUnit | None) -> tuple[str, str]:
    """The code and name an annual summary's scope goes by ("national", "Toàn quốc")."""
    if province is None:
        return "national", "Toàn quốc"
    return province.code, nfc(province.name)


def annual_summary_is_long(province: AdministrativeUnit | None) -> bool:
    """Whether a scope's annual summary renders as a background job: a province's lists
    each of its agreements (997 take 12 s), the national one reads stored totals."""
    if province is None:
        return False
    return province.agreements.count() > settings.ANNUAL_SUMMARY_JOB_AGREEMENTS


def annual_scopes() -> list[AdministrativeUnit | None]:
    """Every scope with an annual summary: national (None), then each current province
    with agreements, as the web page serves them (an abolished province's agreements
    belong to its successor)."""
    provinces = AdministrativeUnit.objects.provinces().current()
    with_agreements = provinces.filter(agreements__isnull=False).distinct().order_by("code")
    return [None, *with_agreements]


def annual_summary_stamp(
    province: AdministrativeUnit | None, year: int, today: datetime.date | None = None
) -> str:
    """A cheap stamp of everything an annual summary can show: equal stamps, equal data.

    Gathering a national summary costs a few hundred milliseconds; the stamp costs a
    handful of index lookups, so a cached summary is served without gathering again.
    """
    today = today or timezone.localdate()
    # What of today the summary depends on: the day it is judged on (31 December for a
    # past year, so a past year's PDF survives the night) and the year in its header.
    as_of = annual_review_due_on(year, today)
    stamp = data_stamp(province.pk if province else None)
    return f"{year}|{scope_label(province)[0]}|{as_of}|{today.year}|{stamp}"
