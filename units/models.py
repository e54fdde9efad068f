from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.text import fold, nfc


class Level(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 07/2025)")
    COMMUNE = "commune", _("Cấp xã")


class FoldedNameMixin(models.Model):
    """Keeps `search_text` in step with the name on every write path.

    A derived column rather than business logic: admin, imports, services and
    loaders all save through here, so search never sees a stale value. Bulk
    writers call `refresh_search_text()` themselves.
    """

    search_text = models.CharField(
        _("chuỗi tìm kiếm"), max_length=600, editable=False, db_index=True, default=""
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        return super().save(*args, **kwargs)

    def searchable_parts(self) -> list[str]:
        raise NotImplementedError

    def refresh_search_text(self) -> None:
        self.search_text = fold(" ".join(p for p in self.searchable_parts() if p))[:600]


class AdministrativeUnitQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(type__in=AdministrativeUnit.PROVINCE_TYPES)

    def communes(self):
        return self.filter(type__in=AdministrativeUnit.COMMUNE_TYPES)

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gt=on),
        )

    def border(self, on=None):
        """Border units; with `on`, those whose border mark held on that day."""
        if on is None:
            return self.filter(is_border=True)
        return self.filter(
            Q(border_from__isnull=True) | Q(border_from__lte=on),
            Q(border_until__isnull=True) | Q(border_until__gt=on),
            is_border=True,
        )


class AdministrativeUnit(FoldedNameMixin):
    """A province or commune, current or abolished by the 2025 reform.

    Abolished units are never deleted: agreements signed with their committees
    must stay exactly as signed. They get `valid_until` and `successors` instead.
    """

    class Type(models.TextChoices):
        PROVINCE = "tinh", _("Tỉnh")
        CITY = "thanh_pho", _("Thành phố trực thuộc trung ương")
        COMMUNE = "xa", _("Xã")
        WARD = "phuong", _("Phường")
        SPECIAL_ZONE = "dac_khu", _("Đặc khu")
        DISTRICT = "huyen", _("Huyện (cũ)")
        URBAN_DISTRICT = "quan", _("Quận (cũ)")
        TOWN = "thi_xa", _("Thị xã (cũ)")
        PROVINCIAL_CITY = "thanh_pho_thuoc_tinh", _("Thành phố thuộc tỉnh (cũ)")
        TOWNSHIP = "thi_tran", _("Thị trấn (cũ)")

    PROVINCE_TYPES = (Type.PROVINCE, Type.CITY)
    DISTRICT_TYPES = (Type.DISTRICT, Type.URBAN_DISTRICT, Type.TOWN, Type.PROVINCIAL_CITY)
    COMMUNE_TYPES = (Type.COMMUNE, Type.WARD, Type.SPECIAL_ZONE, Type.TOWNSHIP)

    code = models.CharField(_("mã đơn vị hành chính"), max_length=10)
    name = models.CharField(_("tên"), max_length=200)
    type = models.CharField(_("loại"), max_length=30, choices=Type.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_border = models.BooleanField(_("biên giới"), default=False, db_index=True)
    # A border mark may hold for part of the unit's validity (a list of 2010, another
    # of 2024); empty dates mean the whole of it.
    border_from = models.DateField(_("là đơn vị biên giới từ"), null=True, blank=True)
    border_until = models.DateField(_("là đơn vị biên giới đến trước"), null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )
    # Every predecessor of a 2025 unit was merged into it by the same resolution, so
    # the resolution of a successor link is a fact of the successor: kept once here.
    formed_by = models.CharField(
        _("căn cứ thành lập"),
        max_length=200,
        blank=True,
        help_text=_("Nghị quyết sắp xếp đã thành lập đơn vị, ví dụ 1684/NQ-UBTVQH15 (16/06/2025)."),
    )
    latitude = models.FloatField(_("vĩ độ trung tâm"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ trung tâm"), null=True, blank=True)
    area_km2 = models.FloatField(_("diện tích (km²)"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[successors])

    objects = AdministrativeUnitQuerySet.as_manager()

    # Reference data: every signed-in user reads every unit (units.scoping.restrict).
    SCOPE_PUBLIC = True

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_until__isnull=True),
                name="unit_code_unique_while_current",
            ),
            models.UniqueConstraint(
                fields=["code", "valid_until"],
                condition=Q(valid_until__isnull=False),
                name="unit_code_unique_per_end_date",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="unit_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.valid_until is None else f"{self.name} ({_('cũ')})"

    def searchable_parts(self) -> list[str]:
        self.name = nfc(self.name)
        return [self.name, self.code]

    @property
    def is_province(self) -> bool:
        return self.type in self.PROVINCE_TYPES

    @property
    def is_commune(self) -> bool:
        return self.type in self.COMMUNE_TYPES

    def name_on(self, day) -> str:
        """The unit's name on `day`: a unit keeps its code when renamed or re-typed."""
        return self._period_on(day).name

    def type_on(self, day) -> str:
        return self._period_on(day).type

    def _period_on(self, day):
        if day is None:
            return self
        # Fetched once per instance, or read from a prefetch of `former_names`.
        models.prefetch_related_objects([self], "former_names")
        for former in sorted(self.former_names.all(), key=lambda f: f.valid_until):
            if day < former.valid_until:
                return former
        return self

    def province(self) -> "AdministrativeUnit | None":
        """The province this unit lies in (itself for a province); walks parents."""
        unit = self
        while unit is not None and not unit.is_province:
            unit = unit.parent
        return unit

    def current_province(self) -> "AdministrativeUnit | None":
        """The province today: an abolished province's successor (Hà Giang → Tuyên Quang)."""
        province = self.province()
        seen = set()
        while province is not None and province.valid_until is not None:
            if province.pk in seen:
                return None
            seen.add(province.pk)
            province = province.successors.order_by("code").first()
        return province


class UnitFormerName(models.Model):
    """A name and type a unit had until a dated change (units/data/unit_changes.csv)."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.CASCADE,
        related_name="former_names",
    )
    name = models.CharField(_("tên"), max_length=200)
    type = models.CharField(_("loại"), max_length=30, choices=AdministrativeUnit.Type.choices)
    valid_until = models.DateField(_("dùng đến trước ngày"))
    changed_by = models.CharField(_("căn cứ thay đổi"), max_length=200)

    class Meta:
        verbose_name = _("tên cũ của đơn vị hành chính")
        verbose_name_plural = _("tên cũ của đơn vị hành chính")
        ordering = ["unit", "valid_until"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "valid_until"], name="unit_former_name_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UnitDataLoad(models.Model):
    """Where the units in the database come from: a row per load that changed them."""

    source = models.CharField(_("nguồn dữ liệu"), max_length=100)
    source_version = models.CharField(_("phiên bản"), max_length=40)
    check_source = models.CharField(_("nguồn đối chiếu"), max_length=100)
    check_version = models.CharField(_("phiên bản nguồn đối chiếu"), max_length=40)
    loaded_at = models.DateTimeField(_("thời điểm nạp"))
    disagreements = models.TextField(_("khác biệt giữa hai nguồn"), blank=True)

    class Meta:
        verbose_name = _("lần nạp đơn vị hành chính")
        verbose_name_plural = _("lần nạp đơn vị hành chính")
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"

    def __str__(self) -> str:
        return f"{self.source} {self.source_version}"


class ScopedQuerySet(models.QuerySet):
    """A queryset of a model with a SCOPE_FIELD: `.restrict(user)` is units.scoping.restrict."""

    def restrict(self, user, action: str = "view"):
        from units.scoping import restrict

        return restrict(self, user, action)


class OrganizationQuerySet(ScopedQuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))

    def border_posts(self):
        return self.filter(kind__in=Organization.BORDER_POST_KINDS)


class Organization(FoldedNameMixin):
    """A signatory: a party committee, a Border Guard unit, an agency, a foreign counterpart."""

    class Kind(models.TextChoices):
        LOCAL_PARTY_COMMITTEE = "local_party", _("Cấp ủy địa phương")
        BORDER_GUARD_PARTY_COMMITTEE = "bg_party", _("Đảng ủy Bộ đội Biên phòng")
        BORDER_GUARD_COMMAND = "bg_command", _("Bộ Tư lệnh / Ban Chỉ huy BĐBP")
        BORDER_POST = "border_post", _("Đồn Biên phòng")
        BORDER_GATE_POST = "border_gate_post", _("Đồn Biên phòng cửa khẩu")
        NAVAL_SQUADRON = "naval_squadron", _("Hải đội Biên phòng")
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        MASS_ORGANIZATION = "mass_org", _("Tổ chức chính trị - xã hội")
        FOREIGN = "foreign", _("Đối tác nước ngoài")

    BORDER_GUARD_UNIT_KINDS = (
        Kind.BORDER_GUARD_COMMAND,
        Kind.BORDER_POST,
        Kind.BORDER_GATE_POST,
        Kind.NAVAL_SQUADRON,
    )
    BORDER_GUARD_KINDS = (Kind.BORDER_GUARD_PARTY_COMMITTEE, *BORDER_GUARD_UNIT_KINDS)
    BORDER_POST_KINDS = (Kind.BORDER_POST, Kind.BORDER_GATE_POST)
    PARTY_COMMITTEE_KINDS = (Kind.LOCAL_PARTY_COMMITTEE, Kind.BORDER_GUARD_PARTY_COMMITTEE)
    LOCAL_KINDS = (Kind.LOCAL_PARTY_COMMITTEE, Kind.PEOPLES_COMMITTEE)
    TWINNING_TARGET_KINDS = (Kind.DEPARTMENT, Kind.ENTERPRISE)

    code = models.CharField(
        _("mã"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Mã dùng khi nhập/xuất tệp; để trống nếu không có."),
    )
    name = models.CharField(_("tên"), max_length=300)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại tổ chức"), max_length=30, choices=Kind.choices)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    area = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố (hiện nay)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Tỉnh, thành phố hiện nay quản lý tổ chức này; quyết định phạm vi truy cập. "
            "Để trống với cơ quan trung ương."
        ),
    )
    party_of = models.ForeignKey(
        "self",
        verbose_name=_("đảng ủy của"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_committees",
    )
    covered_communes = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("xã, phường phụ trách"),
        blank=True,
        related_name="covering_posts",
    )
    country = models.CharField(_("quốc gia"), max_length=100, blank=True)
    founded_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    # A dissolved district committee's work passes to several commune committees.
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("tổ chức kế thừa"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    updated_at = models.DateTimeField(_("thời điểm sửa gần nhất"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[covered_communes, successors])

    objects = OrganizationQuerySet.as_manager()

    # Path to the current province that decides who may see a row (units.scoping).
    SCOPE_FIELD = "province"
    # Central bodies (the national Border Guard party committee) are visible to everyone.
    SCOPE_SHARED_WHEN_NULL = True

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="org_dissolved_not_before_founded",
            ),
            models.CheckConstraint(
                condition=~Q(kind="foreign") | ~Q(country=""),
                name="org_foreign_has_country",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def searchable_parts(self) -> list[str]:
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        return [self.name, self.short_name, self.code or ""]

    @property
    def is_border_guard(self) -> bool:
        return self.kind in self.BORDER_GUARD_KINDS

    @property
    def is_local(self) -> bool:
        return self.kind in self.LOCAL_KINDS

    @staticmethod
    def row_rules(action: str, user) -> Q:
        """Organizations are dissolved, never deleted: their agreements stay as signed."""
        if action == "delete":
            return Q(pk__in=[])
        return Q()

    def is_dissolved(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.dissolved_on is not None and self.dissolved_on <= on


class User(AbstractUser):
    """A person using the application; their organization sets what they may see."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("đơn vị công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def get_full_name(self) -> str:
        """Family name first, as Vietnamese write it: "Nguyễn Thị Lan".

        `last_name` holds the family and middle names, `first_name` the given name;
        Django's default would print "Lan Nguyễn Thị".
        """
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip()) if part)

    def __str__(self) -> str:
        # Wherever a user is printed as such (history rows, admin), the person's name.
        return self.get_full_name() or self.username
