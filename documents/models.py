"""Outgoing documents: the header lines bodies print, the register of numbers, what was issued.

A report is a live draft until it is issued; issuing takes a number from the issuing
body's register and stores the PDF as issued, which is then what is always served.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Review
from units.models import AdministrativeUnit, Organization


class OrganizationHeader(models.Model):
    """The lines an organization's documents print in their header, over a period.

    Defaulted from the organization's name and parent (reports.headers) until someone
    records them; a body renamed or moved under another superior gets a new record.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức"),
        on_delete=models.CASCADE,
        related_name="headers",
    )
    superior_lines = models.TextField(
        _("dòng cơ quan cấp trên"), blank=True, help_text=_("Mỗi dòng in một dòng, chữ in hoa.")
    )
    own_lines = models.TextField(
        _("dòng tên cơ quan ban hành"), help_text=_("Mỗi dòng in một dòng, chữ in hoa.")
    )
    abbreviation = models.CharField(
        _("chữ viết tắt tên cơ quan"),
        max_length=20,
        help_text=_("Dùng trong ký hiệu văn bản, ví dụ ĐU, BCH, UBND."),
    )
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_until = models.DateField(_("áp dụng đến trước ngày"), null=True, blank=True)
    updated_at = models.DateTimeField(_("thời điểm sửa gần nhất"), auto_now=True)

    SCOPE_FIELD = "organization__province"
    SCOPE_SHARED_WHEN_NULL = True

    class Meta:
        verbose_name = _("tiêu đề văn bản của tổ chức")
        verbose_name_plural = _("tiêu đề văn bản của tổ chức")
        ordering = ["organization", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="header_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.valid_from or '…'} – {self.valid_until or '…'})"

    def superior(self) -> list[str]:
        return [line.strip() for line in self.superior_lines.splitlines() if line.strip()]

    def own(self) -> list[str]:
        return [line.strip() for line in self.own_lines.splitlines() if line.strip()]


class PartyTerm(models.Model):
    """A party committee's term (nhiệm kỳ): its party documents are numbered per term."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("cấp ủy"), on_delete=models.CASCADE, related_name="terms"
    )
    starts_on = models.DateField(_("ngày bắt đầu nhiệm kỳ"))

    class Meta:
        verbose_name = _("nhiệm kỳ cấp ủy")
        verbose_name_plural = _("nhiệm kỳ cấp ủy")
        ordering = ["organization", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "starts_on"], name="one_party_term_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.starts_on:%d/%m/%Y}"


class RegisterCounter(models.Model):
    """The last number given in one series of an issuing body's register.

    A series is a calendar year for state documents ("2026") and a term and document
    type for party documents ("2025-10-01/BC"). Issuing locks this row, so two people
    issuing at once wait for each other instead of taking the same number.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="register_counters"
    )
    series = models.CharField(max_length=40)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "series"], name="one_counter_per_register_series"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.series}: {self.last_number}"


class IssuedDocumentQuerySet(models.QuerySet):
    def restrict(self, user):
        from units.scoping import restrict

        return restrict(self, user)


class IssuedDocument(models.Model):
    """A report as issued: numbered, dated, signed off, its PDF frozen."""

    class Kind(models.TextChoices):
        ANNUAL_SUMMARY = "annual", _("Báo cáo tổng hợp năm")
        REVIEW_SUMMARY = "review", _("Báo cáo sơ kết, tổng kết")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=Kind.choices)
    doc_type = models.CharField(_("loại văn bản"), max_length=10, default="BC")
    series = models.CharField(_("sổ"), max_length=40)
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=40)
    number_line = models.CharField(_("số, ký hiệu"), max_length=80)
    issued_on = models.DateField(_("ngày ban hành"))
    summary = models.CharField(_("trích yếu"), max_length=500)
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("phạm vi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống với báo cáo toàn quốc."),
    )
    review = models.ForeignKey(
        Review,
        verbose_name=_("hội nghị sơ kết, tổng kết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    signer_name = models.CharField(_("người ký"), max_length=200)
    signing_capacity = models.CharField(_("thẩm quyền ký"), max_length=10, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    drafting_unit = models.CharField(_("đơn vị soạn thảo"), max_length=40, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("thay thế văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    pdf = models.FileField(_("tệp PDF đã ban hành"), upload_to="issued/%Y/")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cho số"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm cho số"), auto_now_add=True)

    objects = IssuedDocumentQuerySet.as_manager()
    SCOPE_FIELD = "organization__province"
    # Central bodies' documents (the national summary) are visible to everyone.
    SCOPE_SHARED_WHEN_NULL = True

    class Meta:
        verbose_name = _("văn bản đã ban hành")
        verbose_name_plural = _("văn bản đã ban hành")
        ordering = ["-issued_on", "-number"]
        permissions = [("issue_document", _("Có thể cho số, ban hành báo cáo"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "series", "number"],
                name="one_number_per_register_series",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="issued_number_from_one"),
            models.CheckConstraint(
                condition=Q(kind="annual") | Q(review__isnull=False),
                name="issued_review_summary_has_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_line} – {self.summary}"


class TrustRoot(models.Model):
    """A certificate of the government CA an admin installed: a root, or an intermediate
    that chains to one. Signed copies are trusted only when they chain to an installed
    root."""

    name = models.CharField(_("tên"), max_length=200)
    certificate = models.BinaryField(_("chứng thư số (DER)"))
    subject = models.CharField(_("chủ thể"), max_length=500, editable=False)
    is_root = models.BooleanField(_("chứng thư gốc"), editable=False, default=False)
    installed_at = models.DateTimeField(_("thời điểm cài đặt"), auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư số tin cậy")
        verbose_name_plural = _("chứng thư số tin cậy")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SignedCopy(models.Model):
    """A signed PDF uploaded against an issued document, with what validating it found.

    The server never signs: offices sign the issued PDF with their token in the browser
    and upload the result. A copy that validates becomes the file that is served.
    """

    document = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("văn bản đã ban hành"),
        on_delete=models.PROTECT,
        related_name="signed_copies",
    )
    file = models.FileField(_("tệp PDF đã ký"), upload_to="signed/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    has_signature = models.BooleanField(_("có chữ ký số"), default=False)
    intact = models.BooleanField(_("nội dung toàn vẹn"), default=False)
    covers_whole = models.BooleanField(_("chữ ký bao toàn bộ tệp"), default=False)
    same_document = models.BooleanField(_("ký trên đúng bản đã ban hành"), default=False)
    trusted = models.BooleanField(_("chứng thư tin cậy"), default=False)
    signer_name = models.CharField(_("người ký"), max_length=300, blank=True)
    certificate_subject = models.CharField(_("chứng thư số"), max_length=500, blank=True)
    certificate_issuer = models.CharField(_("đơn vị cấp chứng thư"), max_length=500, blank=True)
    signed_at = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)
    revocation = models.CharField(_("tình trạng thu hồi"), max_length=100, blank=True)
    problems = models.TextField(_("vấn đề phát hiện"), blank=True)

    class Meta:
        verbose_name = _("bản đã ký số")
        verbose_name_plural = _("bản đã ký số")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document} ({self.uploaded_at:%d/%m/%Y})"

    @property
    def valid(self) -> bool:
        """Valid only when every check passed: a copy is never half valid."""
        return all(
            (self.has_signature, self.intact, self.covers_whole, self.same_document, self.trusted)
        )
