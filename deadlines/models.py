import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, Review
from units.models import AdministrativeUnit, Organization, ScopedQuerySet

MONTHS = [(m, str(m)) for m in range(1, 13)]


def _check_day_of_month(month: int | None, day: int | None, field: str) -> None:
    # A leap year accepts 29/02, which rules.day_of_year moves to 28/02 in other years.
    try:
        datetime.date(2024, month or 1, day or 1)
    except ValueError:
        raise ValidationError({field: _("Ngày không có trong tháng đã chọn.")}) from None


class ReviewDueOverride(models.Model):
    """An agreement whose yearly review falls due on its own day rather than its kind's."""

    agreement = models.OneToOneField(
        Agreement,
        verbose_name=_("văn bản"),
        on_delete=models.CASCADE,
        related_name="review_due",
    )
    month = models.PositiveSmallIntegerField(_("tháng"), choices=MONTHS)
    day = models.PositiveSmallIntegerField(_("ngày"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    # The due day decides on-time figures, so its changes are recorded like the
    # agreement's own, and move the data stamp that cached figures are keyed by.
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    SCOPE_FIELD = "agreement__province"

    class Meta:
        verbose_name = _("hạn sơ kết riêng")
        verbose_name_plural = _("hạn sơ kết riêng")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31),
                name="review_due_override_day_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:02d}/{self.month:02d} – {self.agreement}"

    def clean(self) -> None:
        _check_day_of_month(self.month, self.day, "day")


class Directive(models.Model):
    """A directive that binds organizations of a province to twin with the Border Guard
    and to report on it every year (Chỉ thị 20/CT-UBND of Huế)."""

    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="directives",
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Các tổ chức của tỉnh, thành phố này chịu sự điều chỉnh của chỉ thị."),
    )
    binds_departments = models.BooleanField(_("sở, ban, ngành"), default=True)
    binds_enterprises = models.BooleanField(_("doanh nghiệp"), default=True)
    binds_non_border_communes = models.BooleanField(_("xã, phường không biên giới"), default=True)
    agreement_kind = models.CharField(
        _("loại văn bản phải ký"),
        max_length=20,
        choices=Agreement.Kind.choices,
        default=Agreement.Kind.TWINNING,
    )
    required_count = models.PositiveSmallIntegerField(
        _("số văn bản tối thiểu với đơn vị BĐBP"), default=1
    )
    report_month = models.PositiveSmallIntegerField(_("tháng báo cáo"), choices=MONTHS)
    report_day = models.PositiveSmallIntegerField(_("ngày báo cáo"))
    reported_through = models.ForeignKey(
        Organization,
        verbose_name=_("báo cáo qua"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    SCOPE_FIELD = "province"

    class Meta:
        verbose_name = _("chỉ thị")
        verbose_name_plural = _("chỉ thị")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="directive_number_once"),
            models.CheckConstraint(
                condition=Q(report_month__gte=1, report_month__lte=12)
                & Q(report_day__gte=1, report_day__lte=31),
                name="directive_report_day_in_range",
            ),
            models.CheckConstraint(
                condition=Q(required_count__gte=1), name="directive_requires_an_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"

    def clean(self) -> None:
        _check_day_of_month(self.report_month, self.report_day, "report_day")
        if not (self.binds_departments or self.binds_enterprises or self.binds_non_border_communes):
            raise ValidationError(_("Chỉ thị phải điều chỉnh ít nhất một loại tổ chức."))


class DirectiveReport(models.Model):
    """A yearly report an organization made under a directive: a review or a file."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("chỉ thị"), on_delete=models.CASCADE, related_name="reports"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức báo cáo"),
        on_delete=models.PROTECT,
        related_name="directive_reports",
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    received_on = models.DateField(_("ngày nhận"))
    review = models.ForeignKey(
        Review,
        verbose_name=_("hội nghị sơ kết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directive_reports",
    )
    file = models.FileField(_("tệp báo cáo"), upload_to="directive-reports/", blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    SCOPE_FIELD = "directive__province"

    class Meta:
        verbose_name = _("báo cáo theo chỉ thị")
        verbose_name_plural = _("báo cáo theo chỉ thị")
        ordering = ["year", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "organization", "year"],
                name="directive_report_once_a_year",
                violation_error_message=_("Tổ chức này đã có báo cáo năm này theo chỉ thị."),
            ),
            models.CheckConstraint(
                condition=Q(review__isnull=False) | ~Q(file=""),
                name="directive_report_has_review_or_file",
                violation_error_message=_("Báo cáo phải là một hội nghị sơ kết hoặc một tệp."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.year}"


class Notice(models.Model):
    """Something a user must know before it is late, once per user and subject."""

    class Kind(models.TextChoices):
        REVIEW_DUE = "review_due", _("Sắp đến hạn sơ kết")
        REVIEW_OVERDUE = "review_overdue", _("Quá hạn sơ kết")
        AGREEMENT_EXPIRING = "agreement_expiring", _("Văn bản sắp hết hiệu lực")
        DIRECTIVE_REPORT_DUE = "directive_report_due", _("Sắp đến hạn báo cáo theo chỉ thị")
        PARTY_DISSOLVED = "party_dissolved", _("Bên ký kết đã giải thể")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    # What the notice is about, e.g. "agreement 12, year 2025": one notice per subject.
    subject = models.CharField(_("đối tượng"), max_length=100)
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    directive = models.ForeignKey(
        Directive, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    due_on = models.DateField(_("hạn"), null=True, blank=True)
    count = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    created_on = models.DateField(_("ngày tạo"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    # National subjects (no province) are for national users, whom restrict shows all.
    SCOPE_FIELD = "province"

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_on", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "subject"], name="notice_once_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.subject}"

    def target_url(self) -> str:
        """The page of the thing itself."""
        if self.directive_id:
            return reverse("deadlines:directive_detail", args=[self.directive_id])
        return reverse("agreements:detail", args=[self.agreement_id])


class NoticePreference(models.Model):
    """A user's choice of the daily e-mail digest and the language it is written in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="notice_preference",
    )
    email_digest = models.BooleanField(_("nhận thư tổng hợp hằng ngày"), default=True)
    language = models.CharField(
        _("ngôn ngữ thư"), max_length=10, choices=settings.LANGUAGES, default="vi"
    )

    class Meta:
        verbose_name = _("tùy chọn thông báo")
        verbose_name_plural = _("tùy chọn thông báo")

    def __str__(self) -> str:
        return str(self.user)
