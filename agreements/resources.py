"""Spreadsheet import and export of agreements and reviews (see units.resources for the contract).

Agreement files carry one agreement per row with its parties in repeated column
groups: "Bên 1", "Bên 1 - vai trò", "Bên 1 - người ký", "Bên 1 - chức vụ", then
"Bên 2 ..." and so on; a clerk adds "Bên 5 ..." columns when an agreement has more
parties (the Huế regulation of 2026 has thirteen). One value per cell keeps Excel's
filters, sorting and copy-down working, which a packed "parties" cell would not.

An agreement is identified by its number (số, ký hiệu) and signing date, or, when it
has no number, by its exact title and start date; review files name their agreement
the same way. Writes go through agreements.services, so imports obey exactly the
rules of the forms and keep parties_key, search_text and history right.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import services
from agreements.models import (
    Agreement,
    AgreementParty,
    FocusArea,
    Indicator,
    LegalDocument,
    Review,
)
from agreements.services import AgreementInput, PartyInput
from units.resources import (
    FORMATS,
    Column,
    OrganizationLookup,
    OrganizationResource,
    Parsed,
    SpreadsheetResource,
    UnitLookup,
    cell_text,
    date_out,
    norm_header,
    norm_name,
    number_out,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    split_list,
    write_table,
)
from units.scoping import restrict
from units.text import fold, nfc

Status = Agreement.Status


def long_text(value) -> str:
    """Multi-line cells (summaries, report sections) keep their line breaks."""
    if value is None:
        return ""
    text = nfc(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def agreement_key(number, title, date) -> tuple | None:
    """The natural key files use for an agreement; None when the row cannot name one."""
    if date is None:
        return None
    if cell_text(number):
        return ("number", norm_name(number), date)
    if cell_text(title):
        return ("title", fold(title), date)
    return None


def key_of(agreement: Agreement) -> tuple | None:
    return agreement_key(
        agreement.number, agreement.title, agreement.signed_on or agreement.valid_from
    )


class AgreementLookup:
    """Agreements the user may see, by natural key, each loaded once."""

    def __init__(self, user, *, with_details: bool):
        queryset = restrict(Agreement.objects.all(), user)
        if with_details:
            queryset = queryset.prefetch_related(
                "parties", "focus_areas", "legal_bases", "supersedes"
            )
        self.by_key: dict[tuple, list[Agreement]] = defaultdict(list)
        for agreement in queryset:
            self.add(agreement)

    def add(self, agreement: Agreement) -> None:
        key = key_of(agreement)
        items = [a for a in self.by_key[key] if a.pk != agreement.pk]
        self.by_key[key] = [*items, agreement]

    def find(self, key) -> Agreement | None:
        found = self.by_key.get(key, []) if key else []
        if len(found) > 1:
            raise ValidationError(
                _(
                    "Có %(n)s văn bản cùng số, ký hiệu và ngày ký; hãy sửa trong trang quản trị "
                    "trước khi nhập."
                )
                % {"n": len(found)}
            )
        return found[0] if found else None


PARTY_PARTS = {
    "": ("", ("",)),
    "_role": (_("vai trò"), ("vai tro", "role")),
    "_signatory": (_("người ký"), ("nguoi ky", "signatory")),
    "_title": (_("chức vụ"), ("chuc vu", "title")),
    # Written on export so a reader sees who signed; the code (or name) column is the key.
    "_name": (_("tên tổ chức (chỉ để đọc)"), ("ten to chuc chi de doc", "ten to chuc", "name")),
}


def version_column(record_help) -> Column:
    """The version a row was exported at: an update from an older file is refused."""
    return Column("version", _("Phiên bản"), record_help, "", aliases=("phien ban", "version"))


def read_version(parsed: Parsed, row) -> None:
    parsed.read(row, "version", parse_int)


def check_version(record, parsed: Parsed, noun) -> None:
    """A row that changes a stored record names the version it was exported at.

    Without it, or with another, the row would overwrite what someone saved after
    the file was exported: it is refused, and with it the whole file.
    """
    row = parsed.get("row_number")
    version = parsed.get("version")
    if version is None:
        raise ValidationError(
            {
                "version": _(
                    "Dòng %(row)s sửa %(noun)s đã có nhưng không ghi phiên bản. Hãy xuất lại "
                    "danh sách, sửa trên tệp mới rồi nhập lại."
                )
                % {"row": row, "noun": noun}
            }
        )
    if version != record.version:
        raise ConcurrentImportError(row=row, noun=noun, version=version, stored=record.version)


class ConcurrentImportError(ValidationError):
    def __init__(self, *, row, noun, version, stored):
        super().__init__(
            {
                "version": _(
                    "Dòng %(row)s: %(noun)s đã được sửa sau khi tệp được xuất (phiên bản trong "
                    "tệp: %(version)s, hiện tại: %(stored)s). Hãy xuất lại danh sách, sửa trên "
                    "tệp mới rồi nhập lại."
                )
                % {"row": row, "noun": noun, "version": version, "stored": stored}
            },
            code="concurrent_edit",
        )


def party_header(slot: int, part: str) -> str:
    label = PARTY_PARTS[part][0]
    base = str(_("Bên %(n)s") % {"n": slot})
    return f"{base} - {label}" if label else base


class AgreementResource(SpreadsheetResource):
    """Agreements with their parties, focus areas and legal bases, one row each."""

    extra_labels = {"parties": _("Các bên ký kết")}
    default_party_slots = 3

    class Meta(SpreadsheetResource.Meta):
        model = Agreement
        name = _("Văn bản phối hợp")

    def __init__(self, user=None, **kwargs):
        self.party_slots = self.default_party_slots
        super().__init__(user=user, **kwargs)

    def base_columns(self) -> list[Column]:
        return [
            Column(
                "number",
                _("Số, ký hiệu"),
                _("khóa nhận diện cùng ngày ký"),
                "01/QC-ĐU",
                aliases=("so ky hieu",),
            ),
            Column(
                "title",
                _("Tên văn bản"),
                _("bắt buộc"),
                "Quy chế phối hợp giữa Đảng ủy Đồn Biên phòng A Lưới và Đảng ủy xã A Lưới",
                required=True,
            ),
            Column(
                "kind",
                _("Loại văn bản"),
                _("Quy chế phối hợp, Kết nghĩa, Kế hoạch phối hợp, Khác"),
                Agreement.Kind.REGULATION.label,
                required=True,
            ),
            Column("signed_on", _("Ngày ký"), _("ngày/tháng/năm"), "12/01/2026"),
            Column("signed_at", _("Nơi ký"), _("không bắt buộc"), "Huế"),
            Column(
                "valid_from",
                _("Hiệu lực từ"),
                _("bắt buộc, ngày/tháng/năm"),
                "12/01/2026",
                required=True,
            ),
            Column(
                "valid_until",
                _("Hiệu lực đến"),
                _("ngày/tháng/năm; để trống nếu không thời hạn"),
                "31/12/2030",
            ),
            Column(
                "status",
                _("Trạng thái"),
                _("Đang có hiệu lực (mặc định), Dự thảo, Hết hiệu lực, Chấm dứt"),
                Status.IN_FORCE.label,
            ),
            Column("ended_on", _("Ngày kết thúc hiệu lực"), _("với văn bản chấm dứt"), ""),
            Column(
                "termination_reason",
                _("Lý do chấm dứt"),
                _("với văn bản chấm dứt, xem danh mục"),
                "",
            ),
            Column("termination_note", _("Ghi chú chấm dứt"), _("không bắt buộc"), ""),
            Column(
                "province",
                _("Tỉnh, thành phố (mã)"),
                _("mã tỉnh; để trống để suy ra từ các bên"),
                "46",
            ),
            Column(
                "focus_areas",
                _("Nội dung trọng tâm (mã)"),
                _("các mã, cách nhau bởi dấu ;"),
                "information_exchange; sovereignty_security",
            ),
            Column(
                "legal_bases",
                _("Căn cứ (số văn bản)"),
                _("các số văn bản, cách nhau bởi dấu ;"),
                "66/2020/QH14; 33-NQ/TW",
            ),
            Column("period_start_year", _("Giai đoạn từ năm"), _("ví dụ 2025"), "2025"),
            Column("period_end_year", _("Giai đoạn đến năm"), _("ví dụ 2030"), "2030"),
            Column("summary", _("Tóm tắt"), _("không bắt buộc"), ""),
            version_column(_("ghi sẵn khi xuất; để trống với văn bản mới, giữ nguyên khi sửa")),
            Column(
                "province_name", _("Tên tỉnh, thành phố (chỉ để đọc)"), _("không cần khi nhập"), ""
            ),
        ]

    def party_columns(self, slots: int) -> list[Column]:
        examples = {
            1: (
                "DU-DBP-ALOI",
                AgreementParty.Role.LEAD.label,
                "Nguyễn Văn A",
                "Bí thư Đảng ủy",
                "Đảng ủy Đồn Biên phòng A Lưới",
            ),
            2: (
                "DU-XA-ALOI",
                AgreementParty.Role.PARTY.label,
                "Trần Thị B",
                "Bí thư Đảng ủy",
                "Đảng ủy xã A Lưới 1",
            ),
        }
        helps = (
            _("mã hoặc tên chính xác của tổ chức; thêm cột “Bên 4”... nếu cần"),
            _("Chủ trì, Bên ký kết (mặc định), Chứng kiến"),
            _("họ tên người ký"),
            _("chức vụ người ký"),
            _("không cần khi nhập"),
        )
        columns = []
        for slot in range(1, slots + 1):
            for index, part in enumerate(PARTY_PARTS):
                example = examples.get(slot, ("", "", "", "", ""))[index]
                columns.append(
                    Column(
                        f"party_{slot}{part}",
                        party_header(slot, part),
                        helps[index],
                        example,
                        required=(part == "" and slot <= 2),
                    )
                )
        return columns

    def columns(self):
        return self.base_columns() + self.party_columns(self.party_slots)

    def match_header(self, name):
        words = norm_header(name).split(" ")
        if len(words) >= 2 and words[0] in ("ben", "party") and words[1].isdigit():
            rest = " ".join(words[2:])
            for part, (_label, names) in PARTY_PARTS.items():
                if rest in names:
                    return f"party_{int(words[1])}{part}"
            return None
        return super().match_header(name)

    def on_headers(self, keys):
        slots = [int(k.split("_")[1]) for k in keys if k.startswith("party_")]
        self.party_slots = max([2, *slots])
        self._set_fields(self.columns())

    def get_queryset(self):
        return restrict(Agreement.objects.all(), self.user)

    def load_caches(self):
        self.units = UnitLookup(provinces_only=True)
        self.organizations = OrganizationLookup(self.user)
        self.focus_areas = {a.code.casefold(): a for a in FocusArea.objects.all()}
        self.legal_documents = {norm_name(d.number): d for d in LegalDocument.objects.all()}
        self.agreements = AgreementLookup(self.user, with_details=True)
        self.today = timezone.localdate()
        self.batch = services.AgreementBatch(user=self.user)

    # Reading a row -------------------------------------------------------------------------

    def find_existing(self, row):
        try:
            date = parse_date(row.get("signed_on")) or parse_date(row.get("valid_from"))
        except ValidationError:
            return None  # reported by parse_row
        key = agreement_key(row.get("number"), row.get("title"), date)
        if key is None:
            return None
        self.claim_key(key, row)
        return self.agreements.find(key)

    def parse_row(self, row, instance):
        parsed = Parsed()
        for key in ("number", "title", "signed_at"):
            parsed.read(row, key)
        for key in ("summary", "termination_note"):
            parsed.read(row, key, long_text)
        for key in ("signed_on", "valid_from", "valid_until", "ended_on"):
            parsed.read(row, key, parse_date)
        for key in ("period_start_year", "period_end_year"):
            parsed.read(row, key, parse_int)
        read_version(parsed, row)
        parsed.values["row_number"] = self.row_number(row)
        parsed.read(row, "kind", lambda v: parse_choice(v, Agreement.Kind))
        parsed.read(row, "status", lambda v: parse_choice(v, Status))
        parsed.read(
            row, "termination_reason", lambda v: parse_choice(v, Agreement.TerminationReason)
        )
        parsed.read(
            row,
            "province",
            lambda v: self.units.get(v, provinces_only=True) if cell_text(v) else None,
        )
        parsed.read(row, "focus_areas", self._focus_areas)
        parsed.read(row, "legal_bases", self._legal_bases)
        parsed.values["parties"] = self._parties(row, parsed)
        new = instance.pk is None
        for key, message in (
            ("title", _("Hãy ghi tên văn bản.")),
            ("kind", _("Hãy ghi loại văn bản.")),
            ("valid_from", _("Hãy ghi ngày bắt đầu hiệu lực.")),
        ):
            if not parsed.get(key) and (new or parsed.has(key)):
                parsed.error(key, message)
        status = parsed.get("status") or (Status.IN_FORCE if new else instance.status)
        parsed.values["status"] = status
        if status == Status.TERMINATED and (new or instance.status != Status.TERMINATED):
            if not parsed.get("termination_reason"):
                parsed.error("termination_reason", _("Văn bản chấm dứt phải có lý do chấm dứt."))
            if not parsed.get("ended_on"):
                parsed.error("ended_on", _("Văn bản chấm dứt phải có ngày kết thúc hiệu lực."))
        if status == Status.SUPERSEDED and (new or instance.status != Status.SUPERSEDED):
            parsed.error(
                "status",
                _(
                    "Trạng thái “Được thay thế” chỉ được ghi nhận khi nhập văn bản thay thế "
                    "(chức năng gia hạn, thay thế); hãy nhập văn bản này là “Đang có hiệu lực” "
                    "hoặc “Hết hiệu lực”."
                ),
            )
        if not parsed.errors:
            parsed.values["input"] = self._input(instance, parsed)
        return parsed

    def _focus_areas(self, value) -> list[FocusArea]:
        areas, unknown = [], []
        for code in split_list(value, ";,\n"):
            area = self.focus_areas.get(code.casefold())
            (areas if area else unknown).append(area or code)
        if unknown:
            raise ValidationError(
                _("Không có nội dung trọng tâm mã: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return areas

    def _legal_bases(self, value) -> list[LegalDocument]:
        documents, unknown = [], []
        for number in split_list(value, ";\n"):
            document = self.legal_documents.get(norm_name(number))
            (documents if document else unknown).append(document or number)
        if unknown:
            raise ValidationError(
                _("Không có văn bản căn cứ số: %(numbers)s.") % {"numbers": ", ".join(unknown)}
            )
        return documents

    def _parties(self, row, parsed: Parsed) -> list[PartyInput]:
        parties = []
        for slot in range(1, self.party_slots + 1):
            key = f"party_{slot}"
            cells = {part: row.get(f"{key}{part}") for part in PARTY_PARTS}
            if not cell_text(cells[""]):
                if any(cell_text(v) for v in cells.values()):
                    parsed.error(key, _("Có người ký hoặc vai trò nhưng chưa ghi tổ chức."))
                continue
            try:
                organization = self.organizations.get(cells[""])
                role = parse_choice(cells["_role"], AgreementParty.Role)
            except ValidationError as exc:
                for message in exc.messages:
                    parsed.error(key, message)
                continue
            parties.append(
                PartyInput(
                    organization=organization,
                    role=role or AgreementParty.Role.PARTY,
                    signatory_name=cell_text(cells["_signatory"]),
                    signatory_title=cell_text(cells["_title"]),
                    order=len(parties) + 1,
                )
            )
        return parties

    def _input(self, agreement: Agreement, parsed: Parsed) -> AgreementInput:
        """The whole agreement as the services take it: the row over the stored values."""

        def pick(key):
            return parsed.get(key) if parsed.has(key) else getattr(agreement, key)

        data = AgreementInput(
            kind=pick("kind"),
            title=pick("title") or "",
            valid_from=pick("valid_from"),
            valid_until=pick("valid_until"),
            number=pick("number") or "",
            signed_on=pick("signed_on"),
            signed_at=pick("signed_at") or "",
            period_start_year=pick("period_start_year"),
            period_end_year=pick("period_end_year"),
            summary=pick("summary") or "",
            supersedes=list(agreement.supersedes.all()) if agreement.pk else [],
            focus_areas=(
                parsed.get("focus_areas")
                if parsed.has("focus_areas")
                else list(agreement.focus_areas.all())
                if agreement.pk
                else []
            ),
            legal_bases=(
                parsed.get("legal_bases")
                if parsed.has("legal_bases")
                else list(agreement.legal_bases.all())
                if agreement.pk
                else []
            ),
            parties=parsed.get("parties"),
        )
        if parsed.get("province"):
            data.province = parsed.get("province")
        elif agreement.pk and not parsed.has("province"):
            data.province = agreement.province_id and self.units.by_id.get(agreement.province_id)
        else:
            data.province = self._infer_province(data.parties)
        return data

    def _infer_province(self, parties: list[PartyInput]):
        """As services._infer_province, from the cache; a province user's own by default."""
        provinces = {p.organization.province_id for p in parties if p.organization.province_id}
        if len(provinces) == 1:
            return self.units.by_id.get(provinces.pop())
        if not self.scope.everything:
            return self.units.by_id.get(self.scope.province_id)
        return None

    # Comparing and writing -------------------------------------------------------------

    @staticmethod
    def _content(data: AgreementInput) -> tuple:
        fields = [getattr(data, name) for name in services.AGREEMENT_EDITABLE_FIELDS]
        fields[services.AGREEMENT_EDITABLE_FIELDS.index("province")] = (
            data.province.pk if data.province else None
        )
        return (
            fields,
            sorted(a.pk for a in data.focus_areas),
            sorted(d.pk for d in data.legal_bases),
            [
                (p.organization.pk, p.role, p.signatory_name, p.signatory_title)
                for p in data.parties
            ],
        )

    @staticmethod
    def _stored_content(agreement: Agreement) -> tuple:
        fields = [getattr(agreement, name) for name in services.AGREEMENT_EDITABLE_FIELDS]
        fields[services.AGREEMENT_EDITABLE_FIELDS.index("province")] = agreement.province_id
        parties = sorted(agreement.parties.all(), key=lambda p: (p.order, p.pk))
        return (
            fields,
            sorted(a.pk for a in agreement.focus_areas.all()),
            sorted(d.pk for d in agreement.legal_bases.all()),
            [(p.organization_id, p.role, p.signatory_name, p.signatory_title) for p in parties],
        )

    def _content_changed(self, agreement: Agreement, data: AgreementInput) -> bool:
        return self._content(data) != self._stored_content(agreement)

    def is_unchanged(self, agreement, parsed):
        return parsed.get("status") == agreement.status and not self._content_changed(
            agreement, parsed.get("input")
        )

    def check_scope(self, agreement, parsed):
        if self.scope.everything:
            return
        province = parsed.get("input").province
        if province is None or province.pk != self.scope.province_id:
            raise ValidationError(
                {"province": _("Bạn chỉ có thể nhập văn bản thuộc tỉnh, thành phố của mình.")}
            )

    @staticmethod
    def _batched(parsed, is_create) -> bool:
        return is_create and parsed.get("status") in (Status.DRAFT, Status.IN_FORCE)

    def write(self, agreement, parsed, is_create):
        data = parsed.get("input")
        if self._batched(parsed, is_create):
            # Checked now, written with the rest of the batch by finish_import.
            return self.batch.add(data=data, in_force=parsed.get("status") == Status.IN_FORCE)
        # The services below read the database: the rows held so far go in first.
        self.batch.save()
        saved = self._write_one(agreement, parsed, is_create)
        self.batch.refresh(pks=[saved.pk, *(a.pk for a in data.supersedes)])
        return saved

    def write_row(self, agreement, parsed, is_create):
        if self._batched(parsed, is_create):
            return self.write(agreement, parsed, is_create)  # nothing written yet
        # Outside the row's savepoint: a row that fails keeps the rows before it.
        self.batch.save()
        return super().write_row(agreement, parsed, is_create)

    def finish_import(self):
        self.batch.save()

    def _write_one(self, agreement, parsed, is_create):
        """A row the batch does not take: an update, or a new agreement already ended."""
        data = parsed.get("input")
        target = parsed.get("status")
        user = self.user
        if is_create:
            agreement = services.agreement_create(
                user=user, data=data, in_force=target != Status.DRAFT
            )
        else:
            check_version(agreement, parsed, _("văn bản"))
        if not is_create and self._content_changed(agreement, data):
            agreement = services.agreement_update(
                agreement=agreement, user=user, data=data, expected_version=parsed.get("version")
            )
        if target == agreement.status:
            return agreement
        if agreement.status == Status.DRAFT and target == Status.IN_FORCE:
            return services.agreement_activate(agreement=agreement, user=user)
        if agreement.status == Status.IN_FORCE and target == Status.EXPIRED:
            return services.agreement_expire(agreement=agreement, user=user)
        if agreement.status == Status.IN_FORCE and target == Status.TERMINATED:
            return services.agreement_terminate(
                agreement=agreement,
                user=user,
                reason=parsed.get("termination_reason"),
                note=parsed.get("termination_note") or "",
                on=parsed.get("ended_on"),
            )
        raise ValidationError(
            {
                "status": _("Không thể chuyển văn bản từ trạng thái “%(from)s” sang “%(to)s”.")
                % {"from": agreement.get_status_display(), "to": Status(target).label}
            }
        )

    def remember(self, saved, row):
        self.agreements.add(saved)

    # Export ----------------------------------------------------------------------------------

    def export_queryset(self, queryset):
        return (
            # The order is the caller's: the list's export keeps the order shown.
            queryset.select_related("province").prefetch_related(
                "parties__organization", "focus_areas", "legal_bases"
            )
        )

    def export_columns(self, queryset):
        from django.db.models import Count

        most = queryset.order_by().annotate(n=Count("parties")).values_list("n", flat=True)
        self.party_slots = max([2, *most])
        return self.columns()

    def follows_selection(self, key, selected):
        part = key.split("_", 2)[-1] if key.count("_") > 1 else ""
        return key.startswith("party_") and f"party_1{'_' + part if part else ''}" in selected

    def export_values(self, a):
        values = {
            "number": a.number,
            "title": a.title,
            "kind": a.get_kind_display(),
            "signed_on": date_out(a.signed_on),
            "signed_at": a.signed_at,
            "valid_from": date_out(a.valid_from),
            "valid_until": date_out(a.valid_until),
            "status": a.get_status_display(),
            "ended_on": date_out(a.ended_on),
            "termination_reason": a.get_termination_reason_display()
            if a.termination_reason
            else "",
            "termination_note": a.termination_note,
            "province": a.province.code if a.province else "",
            "province_name": a.province.name if a.province else "",
            "focus_areas": "; ".join(f.code for f in a.focus_areas.all()),
            "legal_bases": "; ".join(d.number for d in a.legal_bases.all()),
            "period_start_year": a.period_start_year,
            "period_end_year": a.period_end_year,
            "summary": a.summary,
            "version": a.version,
        }
        parties = sorted(a.parties.all(), key=lambda p: (p.order, p.pk))
        for slot, party in enumerate(parties, start=1):
            organization = party.organization
            values[f"party_{slot}"] = organization.code or organization.name
            values[f"party_{slot}_role"] = party.get_role_display()
            values[f"party_{slot}_signatory"] = party.signatory_name
            values[f"party_{slot}_title"] = party.signatory_title
            values[f"party_{slot}_name"] = organization.name
        return values


def _editable_review_fields(field_class) -> tuple[str, ...]:
    """The review's editable fields of one type, in the service's order: the import reads
    and the export writes each group alike."""
    fields = (Review._meta.get_field(name) for name in services.REVIEW_EDITABLE_FIELDS)
    return tuple(f.name for f in fields if type(f) is field_class and not f.choices)


REVIEW_DATE_FIELDS = _editable_review_fields(models.DateField)
REVIEW_LINE_FIELDS = _editable_review_fields(models.CharField)
REVIEW_TEXT_FIELDS = _editable_review_fields(models.TextField)


class ReviewResource(SpreadsheetResource):
    """Reviews of agreements with one column per indicator of the catalogue."""

    class Meta(SpreadsheetResource.Meta):
        model = Review
        name = _("Hội nghị sơ kết, tổng kết")

    def __init__(self, user=None, **kwargs):
        self.indicators = list(Indicator.objects.order_by("order", "code"))
        super().__init__(user=user, **kwargs)

    def columns(self):
        text = _("không bắt buộc; nhiều dòng được")
        return [
            Column(
                "agreement_number",
                _("Số, ký hiệu văn bản"),
                _("văn bản được sơ kết; để trống nếu văn bản không có số"),
                "01/QC-ĐU",
                required=True,
            ),
            Column(
                "agreement_title",
                _("Tên văn bản"),
                _("dùng để nhận diện khi văn bản không có số"),
                "Quy chế phối hợp giữa Đảng ủy Đồn Biên phòng A Lưới và Đảng ủy xã A Lưới",
                required=True,
            ),
            Column(
                "agreement_date",
                _("Ngày ký văn bản"),
                _("ngày ký của văn bản (hoặc ngày hiệu lực nếu văn bản không ghi ngày ký)"),
                "12/01/2026",
                required=True,
            ),
            Column(
                "kind",
                _("Loại hội nghị"),
                _("Sơ kết năm, Sơ kết giữa kỳ, Tổng kết, Rút kinh nghiệm"),
                Review.Kind.ANNUAL.label,
                required=True,
            ),
            Column("year", _("Năm"), _("năm được sơ kết"), 2026, required=True),
            Column(
                "period_start", _("Kỳ báo cáo từ"), _("để trống với sơ kết năm: 01/01 của năm"), ""
            ),
            Column(
                "period_end", _("Kỳ báo cáo đến"), _("để trống với sơ kết năm: 31/12 của năm"), ""
            ),
            Column("held_on", _("Ngày tổ chức"), _("ngày/tháng/năm"), ""),
            Column("held_at", _("Địa điểm"), "", ""),
            Column("chaired_by", _("Chủ trì"), "", ""),
            Column("attendees", _("Thành phần tham dự"), text, ""),
            Column("situation", _("Đặc điểm tình hình"), text, ""),
            Column("results_leadership", _("Kết quả lãnh đạo, chỉ đạo"), text, ""),
            Column("shortcomings", _("Hạn chế"), text, ""),
            Column("causes", _("Nguyên nhân"), text, ""),
            Column("lessons", _("Bài học kinh nghiệm"), text, ""),
            Column("directions", _("Phương hướng, nhiệm vụ, giải pháp"), text, ""),
            Column("proposals", _("Kiến nghị, đề xuất"), text, ""),
            Column("report_number", _("Số báo cáo"), _("chỉ phần số, ví dụ 15"), ""),
            Column("report_symbol", _("Ký hiệu báo cáo"), _("ví dụ BC/ĐU"), ""),
            Column("report_date", _("Ngày ban hành báo cáo"), _("ngày/tháng/năm"), ""),
            Column("report_place", _("Địa danh ban hành"), "", ""),
            Column(
                "issuing_organization",
                _("Cơ quan ban hành báo cáo"),
                _("mã hoặc tên chính xác"),
                "",
            ),
            Column("signer_name", _("Người ký"), "", ""),
            Column("signer_title", _("Chức vụ người ký"), "", ""),
            Column("signer_on_behalf", _("Ký thay"), _("Có hoặc Không"), "Không"),
            Column("recipients", _("Nơi nhận"), _("mỗi nơi nhận một dòng"), ""),
            version_column(_("ghi sẵn khi xuất; để trống với hội nghị mới, giữ nguyên khi sửa")),
        ] + [
            Column(
                f"indicator:{i.code}",
                f"{i.name} ({i.unit})",
                _("số, không âm; để trống nếu không có"),
                "",
                aliases=(i.code,),
            )
            for i in self.indicators
        ]

    def get_queryset(self):
        return restrict(Review.objects.all(), self.user)

    def load_caches(self):
        self.organizations = OrganizationLookup(self.user)
        self.agreements = AgreementLookup(self.user, with_details=False)
        self.reviews: dict[tuple, list[Review]] = defaultdict(list)
        reviews = restrict(Review.objects.all(), self.user).prefetch_related("indicator_values")
        agreements = {a.pk: a for items in self.agreements.by_key.values() for a in items}
        for review in reviews:
            review.agreement = agreements.get(review.agreement_id) or review.agreement
            self.reviews[(review.agreement_id, review.kind, review.year)].append(review)

    def find_existing(self, row):
        try:
            date = parse_date(row.get("agreement_date"))
            kind = parse_choice(row.get("kind"), Review.Kind)
            year = parse_int(row.get("year"))
        except ValidationError:
            return None
        key = agreement_key(row.get("agreement_number"), row.get("agreement_title"), date)
        agreement = self.agreements.find(key) if key else None
        if agreement is None or not kind or not year:
            return None
        self.claim_key((agreement.pk, kind, year), row)
        found = self.reviews.get((agreement.pk, kind, year), [])
        if len(found) > 1:
            raise ValidationError(
                _(
                    "Văn bản này có nhiều hội nghị cùng loại trong năm %(year)s; hãy sửa trong trang quản trị."
                )
                % {"year": year}
            )
        return found[0] if found else None

    def parse_row(self, row, review):
        parsed = Parsed()
        parsed.read(row, "agreement_date", parse_date)
        if review.pk is None:
            key = agreement_key(
                row.get("agreement_number"),
                row.get("agreement_title"),
                parsed.get("agreement_date"),
            )
            agreement = self.agreements.find(key) if key else None
            if agreement is None:
                parsed.error(
                    "agreement_number",
                    _(
                        "Không tìm thấy văn bản có số, ký hiệu (hoặc tên) và ngày ký này trong phạm vi của bạn."
                    ),
                )
            parsed.values["agreement"] = agreement
        parsed.read(row, "kind", lambda v: parse_choice(v, Review.Kind))
        parsed.read(row, "year", parse_int)
        for key in REVIEW_DATE_FIELDS:
            parsed.read(row, key, parse_date)
        for key in REVIEW_LINE_FIELDS:
            parsed.read(row, key)
        for key in REVIEW_TEXT_FIELDS:
            parsed.read(row, key, long_text)
        parsed.read(row, "signer_on_behalf", parse_bool)
        read_version(parsed, row)
        parsed.values["row_number"] = self.row_number(row)
        parsed.read(row, "issuing_organization", self.organizations.get_or_none)
        values = {}
        for indicator in self.indicators:
            key = f"indicator:{indicator.code}"
            if key in row:
                try:
                    values[indicator.code] = parse_decimal(row[key])
                except ValidationError as exc:
                    parsed.error(key, exc.messages[0])
                    continue
                if values[indicator.code] is not None and values[indicator.code] < 0:
                    parsed.error(key, _("Giá trị chỉ tiêu không thể âm."))
        parsed.values["indicator_values"] = values
        if not parsed.get("kind"):
            parsed.error("kind", _("Hãy ghi loại hội nghị."))
        if not parsed.get("year"):
            parsed.error("year", _("Hãy ghi năm."))
        if parsed.get("kind") == Review.Kind.ANNUAL and parsed.get("year"):
            year = parsed.get("year")
            if not parsed.get("period_start") and not review.period_start:
                parsed.values["period_start"] = datetime.date(year, 1, 1)
            if not parsed.get("period_end") and not review.period_end:
                parsed.values["period_end"] = datetime.date(year, 12, 31)
        return parsed

    def fields_of(self, parsed: Parsed) -> dict:
        fields = {}
        for name in services.REVIEW_EDITABLE_FIELDS:
            if parsed.has(name):
                value = parsed.get(name)
                if (
                    value is None
                    and name not in ("issuing_organization",)
                    and not name.endswith(("_on", "_date", "_start", "_end"))
                ):
                    value = False if name == "signer_on_behalf" else ""
                fields[name] = value
        return fields

    def is_unchanged(self, review, parsed):
        for name, value in self.fields_of(parsed).items():
            current = (
                review.issuing_organization_id
                if name == "issuing_organization"
                else getattr(review, name)
            )
            if name == "issuing_organization":
                value = value.pk if value else None
            if current != value:
                return False
        stored = {v.indicator_id: v.value for v in review.indicator_values.all()}
        by_code = {i.code: i.pk for i in self.indicators}
        return all(
            stored.get(by_code[code]) == value
            for code, value in parsed.get("indicator_values").items()
        )

    def check_scope(self, review, parsed):
        """The agreement lookup only holds agreements in the user's scope."""

    def write(self, review, parsed, is_create):
        values = {
            code: ("" if v is None else v) for code, v in parsed.get("indicator_values").items()
        }
        try:
            if is_create:
                return services.review_create(
                    user=self.user,
                    agreement=parsed.get("agreement"),
                    indicator_values=values,
                    **self.fields_of(parsed),
                )
            check_version(review, parsed, _("hội nghị sơ kết, tổng kết"))
            return services.review_update(
                review=review,
                user=self.user,
                expected_version=parsed.get("version"),
                indicator_values=values,
                **self.fields_of(parsed),
            )
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from exc

    def remember(self, saved, row):
        self.reviews[(saved.agreement_id, saved.kind, saved.year)] = [saved]

    def export_queryset(self, queryset):
        return (
            queryset.select_related("agreement", "issuing_organization")
            .prefetch_related("indicator_values")
            .order_by("agreement__valid_from", "agreement_id", "year", "pk")
        )

    def export_values(self, r):
        a = r.agreement
        values = {
            "agreement_number": a.number,
            "agreement_title": a.title,
            "agreement_date": date_out(a.signed_on or a.valid_from),
            "kind": r.get_kind_display(),
            "year": r.year,
            "version": r.version,
            "signer_on_behalf": str(_("Có") if r.signer_on_behalf else _("Không")),
            "issuing_organization": (
                (r.issuing_organization.code or r.issuing_organization.name)
                if r.issuing_organization
                else ""
            ),
        }
        for name in REVIEW_DATE_FIELDS:
            values[name] = date_out(getattr(r, name))
        for name in (*REVIEW_LINE_FIELDS, *REVIEW_TEXT_FIELDS):
            values[name] = getattr(r, name)
        by_id = {i.pk: i.code for i in self.indicators}
        for value in r.indicator_values.all():
            values[f"indicator:{by_id[value.indicator_id]}"] = number_out(value.value)
        return values


RESOURCES = {
    "organizations": OrganizationResource,
    "agreements": AgreementResource,
    "reviews": ReviewResource,
}
FILENAMES = {
    "organizations": "to-chuc",
    "agreements": "van-ban-phoi-hop",
    "reviews": "so-ket-tong-ket",
}


def export_file(kind: str, queryset, fmt: str, progress=None) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an export; the caller scopes the queryset."""
    dataset = RESOURCES[kind]().export(queryset, progress=progress)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return write_table(dataset, fmt), FORMATS[fmt], f"{FILENAMES[kind]}-{stamp}.{fmt}"


def export_agreements(queryset, fmt: str, progress=None) -> tuple[bytes, str, str]:
    """Export a (scoped, filtered) agreement list to "xlsx" or "csv"."""
    return export_file("agreements", queryset, fmt, progress)


def template_file(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """An empty file to fill in: headers, a row of explanations and a commented example."""
    dataset = RESOURCES[kind]().template()
    return write_table(dataset, fmt), FORMATS[fmt], f"mau-{FILENAMES[kind]}.{fmt}"
