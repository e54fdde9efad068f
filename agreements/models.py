import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import AdministrativeUnit, FoldedNameMixin, Organization, ScopedQuerySet
from units.text import nfc


def localized(vietnamese: str, english: str) -> str:
    """A catalogue entry's name in the page's language; Vietnamese when no English is set."""
    return english if english and get_language() == "en" else vietnamese


class FocusArea(models.Model):
    """A focus area (nội dung trọng tâm) a regulation names; seeded from agreements.catalogue."""

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    history = HistoricalRecords()

    SCOPE_PUBLIC = True

    class Meta:
        verbose_name = _("nội dung trọng tâm")
        verbose_name_plural = _("nội dung trọng tâm")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return localized(self.name, self.name_en)

    def natural_key(self):
        return (self.code,)


class LegalDocument(models.Model):
    """A legal basis an agreement cites (a law, a resolution, a decision)."""

    number = models.CharField(_("số, ký hiệu"), max_length=60, unique=True)
    doc_type = models.CharField(_("loại văn bản"), max_length=60)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=400)
    title_en = models.CharField(_("trích yếu tiếng Anh"), max_length=400, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    history = HistoricalRecords()

    SCOPE_PUBLIC = True

    class Meta:
        verbose_name = _("văn bản căn cứ")
        verbose_name_plural = _("văn bản căn cứ")
        ordering = ["issued_on", "number"]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.number}"


class Indicator(models.Model):
    """A figure reviews report (joint patrols, cases handled ...); seeded from the catalogue."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=60)
    unit_en = models.CharField(_("đơn vị tính tiếng Anh"), max_length=60, blank=True)
    group = models.CharField(_("nhóm"), max_length=100)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    history = HistoricalRecords()

    SCOPE_PUBLIC = True

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{localized(self.name, self.name_en)} ({localized(self.unit, self.unit_en)})"


def in_force_q(on: datetime.date, prefix: str = "") -> Q:
    """In force on a day, past or present: judged by dates, not by today's status.

    Signed (not a draft), the day inside the period, and not yet ended early:
    `ended_on` is the first day out of force for every way an agreement ends. A
    condition rather than a queryset so it also applies across a join (prefix
    "agreement__"): as `agreement__in=Agreement.objects.in_force(...)` SQLite picks a
    plan 25 times slower on 20,000 agreements.
    """
    return in_force_during_q(on, on, prefix)


def in_force_during_q(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """In force on at least one day of [start, end] (see in_force_q)."""
    return (
        ~Q(**{f"{prefix}status": Agreement.Status.DRAFT})
        & Q(**{f"{prefix}valid_from__lte": end})
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": start}))
        & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": start}))
    )


class AgreementQuerySet(ScopedQuerySet):
    def in_force(self, on: datetime.date | None = None):
        """In force on a day (in_force_q); today by default."""
        return self.filter(in_force_q(on or timezone.localdate()))

    def in_force_during(self, start: datetime.date, end: datetime.date):
        """In force on at least one day of [start, end] (in_force_during_q)."""
        return self.filter(in_force_during_q(start, end))


# A handle on the history registration, so services can write one record after
# setting the many-to-many relations (simple_history keeps no public one).
AGREEMENT_HISTORY = HistoricalRecords(m2m_fields=["focus_areas", "legal_bases", "supersedes"])


class EditRecord(models.Model):
    """Who created and last changed a record, when, and its version for optimistic locking
    (units.versioning.bump_version, through agreements.services._bump_version)."""

    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa gần nhất"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("thời điểm sửa gần nhất"), auto_now=True)

    class Meta:
        abstract = True


class Agreement(FoldedNameMixin, EditRecord):
    """A coordination regulation, twinning agreement or plan, exactly as signed."""

    class Kind(models.TextChoices):
        REGULATION = "regulation", _("Quy chế phối hợp")
        TWINNING = "twinning", _("Kết nghĩa")
        PLAN = "plan", _("Kế hoạch phối hợp")
        OTHER = "other", _("Khác")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        IN_FORCE = "in_force", _("Đang có hiệu lực")
        EXPIRED = "expired", _("Hết hiệu lực")
        # A status, not the action: English needs "Terminated" here, "Terminate" on buttons.
        TERMINATED = "terminated", pgettext_lazy("agreement status", "Chấm dứt")
        SUPERSEDED = "superseded", _("Được thay thế")

    class TerminationReason(models.TextChoices):
        PARTNER_DISSOLVED = "partner_dissolved", _("Đơn vị ký kết giải thể, sáp nhập")
        MUTUAL = "mutual", _("Các bên thỏa thuận chấm dứt")
        OTHER = "other", _("Lý do khác")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    title = models.CharField(_("tên văn bản"), max_length=500)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    signed_at = models.CharField(_("nơi ký"), max_length=200, blank=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_until = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    # The period the agreement is made for (giai đoạn), which its validity need not
    # match: a regulation signed on 12/01/2026 can be "for 2025–2030".
    period_start_year = models.PositiveSmallIntegerField(
        _("giai đoạn từ năm"), null=True, blank=True
    )
    period_end_year = models.PositiveSmallIntegerField(
        _("giai đoạn đến năm"), null=True, blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    ended_on = models.DateField(
        _("thôi hiệu lực từ ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Ngày đầu tiên văn bản không còn hiệu lực (hết hạn, chấm dứt hoặc được thay thế)."
        ),
    )
    termination_reason = models.CharField(
        _("lý do chấm dứt"), max_length=30, choices=TerminationReason.choices, blank=True
    )
    termination_note = models.TextField(_("ghi chú chấm dứt"), blank=True)
    # Many both ways: a district regulation is replaced by the commune regulations that
    # took over its partners, and one regulation can replace several older ones.
    supersedes = models.ManyToManyField(
        "self",
        verbose_name=_("thay thế văn bản"),
        symmetrical=False,
        blank=True,
        related_name="superseded_by",
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("nội dung trọng tâm"), blank=True
    )
    legal_bases = models.ManyToManyField(LegalDocument, verbose_name=_("căn cứ"), blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text=_("Để trống với quy chế cấp toàn quốc."),
    )
    parties_key = models.CharField(max_length=400, editable=False, db_index=True, default="")
    history = AGREEMENT_HISTORY

    objects = AgreementQuerySet.as_manager()
    SCOPE_FIELD = "province"

    class Meta:
        verbose_name = _("văn bản phối hợp")
        verbose_name_plural = _("văn bản phối hợp")
        ordering = ["-valid_from", "-id"]
        indexes = [
            # A scope's agreements, with every date the annual summary counts by: its
            # counts per province are one read of this index, in province order.
            models.Index(
                fields=[
                    "province",
                    "status",
                    "kind",
                    "valid_from",
                    "valid_until",
                    "ended_on",
                    "signed_on",
                ],
                name="agreement_scope_dates_idx",
            ),
            models.Index(fields=["valid_until"], name="agreement_valid_until_idx"),
            # The lists' default order: the first page reads 25 index entries, not a sort.
            # The other columns make "in force on a day" (with its kind and province) an
            # index-only read: review due and missing counts, the dashboard, coverage.
            models.Index(
                fields=[
                    "valid_from",
                    "id",
                    "valid_until",
                    "ended_on",
                    "status",
                    "kind",
                    "province",
                ],
                name="agreement_in_force_idx",
            ),
            # The dashboard's data version reads the latest change, not the whole table.
            models.Index(fields=["updated_at"], name="agreement_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="agreement_period_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(signed_on__lte=models.F("valid_until")),
                name="agreement_signed_within_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated") | ~Q(termination_reason=""),
                name="agreement_terminated_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["terminated", "superseded"]) | Q(ended_on__isnull=False),
                name="agreement_ended_has_date",
            ),
            models.CheckConstraint(
                condition=Q(period_end_year__isnull=True)
                | Q(
                    period_start_year__isnull=False,
                    period_end_year__gte=models.F("period_start_year"),
                ),
                name="agreement_term_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        label = self.number or self.get_kind_display()
        return f"{label} – {self.title}"

    def searchable_parts(self) -> list[str]:
        self.title = nfc(self.title)
        self.number = nfc(self.number)
        self.summary = nfc(self.summary)
        return [self.number, self.title]

    @property
    def period_label(self) -> str:
        """ "2025–2030", as users speak of a period."""
        if self.valid_until is None:
            return f"{self.valid_from.year}–"
        return f"{self.valid_from.year}–{self.valid_until.year}"

    @property
    def term_label(self) -> str:
        """The period it is made for, "2025–2030"; empty when not recorded."""
        if self.period_start_year is None:
            return ""
        return f"{self.period_start_year}–{self.period_end_year or ''}"

    @property
    def is_locked_status(self) -> bool:
        return self.status in LOCKED_STATUSES

    @staticmethod
    def row_rules(action: str, user) -> Q:
        """Ended agreements are history, never edited; only drafts may be deleted."""
        if action == "delete":
            return Q(status=Agreement.Status.DRAFT)
        return ~Q(status__in=LOCKED_STATUSES)


# An ended agreement's content is history: terminated or superseded, it is never
# edited again. An expired one may still be corrected (a typo, a missing signatory).
LOCKED_STATUSES = (Agreement.Status.TERMINATED, Agreement.Status.SUPERSEDED)


class AgreementParty(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        PARTY = "party", _("Bên ký kết")
        WITNESS = "witness", _("Chứng kiến")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.PARTY)
    signatory_name = models.CharField(_("người ký"), max_length=200, blank=True)
    signatory_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    SCOPE_FIELD = "agreement__province"

    class Meta:
        verbose_name = _("bên ký kết")
        verbose_name_plural = _("các bên ký kết")
        ordering = ["order", "id"]
        indexes = [
            # Coverage reads which agreements the border posts signed from the index alone.
            models.Index(fields=["organization", "agreement", "order"], name="party_signed_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="party_once_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)


class Review(EditRecord):
    """A review conference (sơ kết, tổng kết) of an agreement and its report."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Sơ kết năm")
        MID_TERM = "mid_term", _("Sơ kết giữa kỳ")
        FINAL = "final", _("Tổng kết")
        LESSONS = "lessons", _("Rút kinh nghiệm")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã duyệt")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(_("loại hội nghị"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    period_start = models.DateField(_("kỳ báo cáo từ"))
    period_end = models.DateField(_("kỳ báo cáo đến"))
    held_on = models.DateField(_("ngày tổ chức"), null=True, blank=True)
    held_at = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chaired_by = models.CharField(_("chủ trì"), max_length=300, blank=True)
    attendees = models.TextField(_("thành phần tham dự"), blank=True)
    situation = models.TextField(_("đặc điểm tình hình"), blank=True)
    results_leadership = models.TextField(_("kết quả lãnh đạo, chỉ đạo"), blank=True)
    shortcomings = models.TextField(_("hạn chế"), blank=True)
    causes = models.TextField(_("nguyên nhân"), blank=True)
    lessons = models.TextField(_("bài học kinh nghiệm"), blank=True)
    directions = models.TextField(_("phương hướng, nhiệm vụ, giải pháp"), blank=True)
    proposals = models.TextField(_("kiến nghị, đề xuất"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("thời điểm duyệt"), null=True, blank=True)
    report_number = models.CharField(
        _("số báo cáo"), max_length=20, blank=True, help_text=_("Chỉ phần số, ví dụ 15.")
    )
    report_symbol = models.CharField(
        _("ký hiệu báo cáo"), max_length=40, blank=True, help_text=_("Ví dụ BC/ĐU hoặc BC-UBND.")
    )
    report_date = models.DateField(_("ngày ban hành báo cáo"), null=True, blank=True)
    report_place = models.CharField(_("địa danh ban hành"), max_length=100, blank=True)
    issuing_organization = models.ForeignKey(
        Organization,
        verbose_name=_("cơ quan ban hành báo cáo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_reviews",
    )
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True)
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=200, blank=True, help_text=_("Ví dụ: Phó Bí thư.")
    )
    signer_on_behalf = models.BooleanField(
        _("ký thay"), default=False, help_text=_("Cấp phó ký thay cấp trưởng (KT.).")
    )
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi nơi nhận một dòng."))
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    SCOPE_FIELD = "agreement__province"

    class Meta:
        verbose_name = _("hội nghị sơ kết, tổng kết")
        verbose_name_plural = _("hội nghị sơ kết, tổng kết")
        permissions = [("approve_review", _("Có thể duyệt báo cáo sơ kết, tổng kết"))]
        ordering = ["-year", "-held_on", "-id"]
        indexes = [
            # "Has an annual review for year Y" from the index alone: the partial unique
            # constraint below serves it only when the kind is a literal, and Django
            # passes it as a parameter, so each probe would also read the review's row.
            models.Index(fields=["agreement", "year", "kind"], name="review_agreement_year_idx"),
            # The dashboard's data version reads the latest change, not the whole table.
            models.Index(fields=["updated_at"], name="review_updated_idx"),
            # A year's annual reviews from the index alone, without reading their texts.
            models.Index(fields=["year", "kind"], name="review_year_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                condition=Q(kind="annual"),
                name="one_annual_review_per_agreement_year",
                violation_error_message=_("Văn bản này đã có báo cáo sơ kết năm cho năm này."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="review_period_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} – {self.agreement.title}"

    @staticmethod
    def row_rules(action: str, user) -> Q:
        """An approved review is locked for everyone but admins; only drafts are deleted."""
        if action == "delete":
            return Q(status=Review.Status.DRAFT)
        return Q() if user.is_superuser else Q(status=Review.Status.DRAFT)

    @property
    def is_final_document(self) -> bool:
        """A report with its number and signer is final; without them, a draft (DỰ THẢO)."""
        return bool(self.report_number and self.signer_name)


class ReviewFocusResult(models.Model):
    """The results a review reports for one focus area."""

    review = models.ForeignKey(
        Review,
        verbose_name=_("báo cáo sơ kết, tổng kết"),
        on_delete=models.CASCADE,
        related_name="focus_results",
    )
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("nội dung trọng tâm"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("kết quả"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết quả theo nội dung trọng tâm")
        verbose_name_plural = _("kết quả theo nội dung trọng tâm")
        ordering = ["focus_area__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "focus_area"], name="focus_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.focus_area}: {self.text[:50]}"


class IndicatorValue(models.Model):
    review = models.ForeignKey(
        Review,
        verbose_name=_("báo cáo sơ kết, tổng kết"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    SCOPE_FIELD = "review__agreement__province"

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        ordering = ["indicator__order"]
        indexes = [
            # Indicator totals read the values of a year's reviews from the index alone.
            models.Index(
                fields=["review", "indicator", "value"], name="indicator_value_totals_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "indicator"], name="indicator_once_per_review"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class IndicatorTotal(models.Model):
    """The sum of one year's annual-review figures for one indicator in one province.

    Derived data, kept by agreements.services.indicator_totals_update on every write
    that changes an annual review's figures, its year, its kind or its agreement's
    province, so a national summary reads a few hundred rows instead of summing
    200,000 values. `figures` counts the values summed: a total whose figures were all
    removed reads as no figure, as a live sum would. A null province holds the
    national agreements' figures.
    """

    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="+"
    )
    total = models.DecimalField(_("tổng"), max_digits=18, decimal_places=2, default=0)
    figures = models.IntegerField(_("số giá trị"), default=0)

    class Meta:
        verbose_name = _("tổng chỉ tiêu theo năm")
        verbose_name_plural = _("tổng chỉ tiêu theo năm")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "indicator"],
                condition=Q(province__isnull=False),
                name="indicator_total_once_per_province",
            ),
            models.UniqueConstraint(
                fields=["year", "indicator"],
                condition=Q(province__isnull=True),
                name="indicator_total_once_national",
            ),
        ]
        indexes = [models.Index(fields=["year", "province"], name="indicator_total_year_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year} {self.province_id}: {self.total}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class AttachmentQuerySet(ScopedQuerySet):
    def current(self):
        """The files shown with their record; removed ones only in its history."""
        return self.filter(removed_at__isnull=True)

    def removed(self):
        return self.filter(removed_at__isnull=False)


class Attachment(models.Model):
    """The signed scan of an agreement or the minutes of a review, checked by content."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("văn bản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    review = models.ForeignKey(
        Review,
        verbose_name=_("báo cáo sơ kết, tổng kết"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("tệp"), upload_to=attachment_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=50)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    # A removed or replaced file is kept, and reachable from the history: what was
    # signed stays on record even after a better scan replaced it.
    removed_at = models.DateTimeField(_("thời điểm gỡ bỏ"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gỡ bỏ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = AttachmentQuerySet.as_manager()
    # Through the record it belongs to, so moving an agreement moves its files too.
    SCOPE_FIELD = ("agreement__province", "review__agreement__province")

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement__isnull=False, review__isnull=True)
                | Q(agreement__isnull=True, review__isnull=False),
                name="attachment_belongs_to_one_record",
            ),
            # Once among the files shown: a removed scan may be uploaded again.
            models.UniqueConstraint(
                fields=["agreement", "sha256"],
                condition=Q(removed_at__isnull=True),
                name="attachment_once_per_agreement",
            ),
            models.UniqueConstraint(
                fields=["review", "sha256"],
                condition=Q(removed_at__isnull=True),
                name="attachment_once_per_review",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
