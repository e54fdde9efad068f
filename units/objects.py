"""Organizations and administrative units in the object registry: their tables, filters,
forms and services. The generic views in `registry` serve their pages."""

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import F, Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registry.base import ObjectType, register
from registry.forms import ServiceForm
from units import organization_services
from units.filters import FilterSet
from units.forms import (
    DateField,
    OrganizationAutocomplete,
    UnitAutocomplete,
    UnitMultiAutocomplete,
)
from units.models import AdministrativeUnit, Level, Organization
from units.scoping import provinces_of, restrict, scope_of, viewable
from units.selectors import units_source
from units.text import search


def current_provinces(request):
    """The provinces a filter offers: units.scoping.provinces_of the request's user."""
    if request is None:
        return AdministrativeUnit.objects.none()
    return provinces_of(request.user)


class SearchFilterSet(FilterSet):
    """Quick search over the folded column (diacritics optional, abbreviations known)."""

    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_q")

    def filter_q(self, queryset, name, value):
        return search(queryset, value)


class SortedTable(tables.Table):
    """The project's tables: sorted by the `sort` parameter, laid out by one template."""

    class Meta:
        template_name = "registry/table.html"
        order_by_field = "sort"
        attrs = {"class": "data"}


def link(column_value, record, url_name, arg="pk"):
    return format_html(
        '<a href="{}">{}</a>', reverse_lazy(url_name, args=[getattr(record, arg)]), column_value
    )


# Organizations ----------------------------------------------------------------------


class OrganizationFilter(SearchFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Loại tổ chức"), choices=Organization.Kind.choices, empty_label=_("Tất cả")
    )
    level = django_filters.ChoiceFilter(
        label=_("Cấp"), choices=Level.choices, empty_label=_("Tất cả")
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Tỉnh, thành phố"), queryset=current_provinces, empty_label=_("Tất cả")
    )
    dissolved = django_filters.ChoiceFilter(
        label=_("Tình trạng"),
        choices=[("no", _("Đang hoạt động")), ("yes", _("Đã giải thể"))],
        empty_label=_("Tất cả"),
        method="filter_dissolved",
    )

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_dissolved(self, queryset, name, value):
        today = timezone.localdate()
        dissolved = Q(dissolved_on__isnull=False, dissolved_on__lte=today)
        return queryset.filter(dissolved) if value == "yes" else queryset.exclude(dissolved)


class OrganizationTable(SortedTable):
    name = tables.Column(verbose_name=_("Tên"), attrs={"td": {"class": "title"}})
    code = tables.Column(verbose_name=_("Mã"))
    kind = tables.Column(verbose_name=_("Loại tổ chức"))
    level = tables.Column(verbose_name=_("Cấp"))
    province = tables.Column(verbose_name=_("Tỉnh, thành phố"), order_by="province__name")
    dissolved_on = tables.DateColumn(verbose_name=_("Ngày giải thể"), format="d/m/Y")

    class Meta(SortedTable.Meta):
        model = Organization
        fields = ("name", "code", "kind", "level", "province", "dissolved_on")

    def render_name(self, value, record):
        return link(value, record, "registry:organizations_detail")

    def value_name(self, value):
        return value


class OrganizationForm(ServiceForm):
    name = forms.CharField(label=_("Tên"), max_length=300)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    code = forms.CharField(
        label=_("Mã"),
        max_length=40,
        required=False,
        help_text=_("Dùng khi nhập, xuất tệp; để trống thì hệ thống tự đặt."),
    )
    kind = forms.ChoiceField(
        label=_("Loại tổ chức"), choices=[("", "—"), *Organization.Kind.choices]
    )
    level = forms.ChoiceField(label=_("Cấp"), choices=[("", "—"), *Level.choices])
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố (hiện nay)"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        help_text=_("Để trống với cơ quan trung ương."),
    )
    area = forms.ModelChoiceField(
        label=_("Địa bàn"),
        queryset=AdministrativeUnit.objects.all(),
        required=False,
        widget=UnitAutocomplete,
    )
    parent = forms.ModelChoiceField(
        label=_("Cơ quan cấp trên"),
        queryset=Organization.objects.none(),
        required=False,
        widget=OrganizationAutocomplete,
    )
    party_of = forms.ModelChoiceField(
        label=_("Đảng ủy của"),
        queryset=Organization.objects.none(),
        required=False,
        widget=OrganizationAutocomplete,
        help_text=_("Với đảng ủy: cơ quan, đơn vị mà đảng ủy này lãnh đạo."),
    )
    covered_communes = forms.ModelMultipleChoiceField(
        label=_("Xã, phường phụ trách"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=UnitMultiAutocomplete,
        help_text=_("Với đồn biên phòng: gõ tên xã, phường để chọn."),
    )
    country = forms.CharField(
        label=_("Quốc gia"), max_length=100, required=False, help_text=_("Với đối tác nước ngoài.")
    )
    founded_on = DateField(label=_("Ngày thành lập"), required=False)

    def __init__(self, data=None, files=None, *, user, instance=None, **kwargs):
        super().__init__(data, files, user=user, instance=instance, **kwargs)
        visible = restrict(Organization.objects.all(), user)
        self.fields["parent"].queryset = visible
        self.fields["party_of"].queryset = visible
        scope = scope_of(user)
        provinces = AdministrativeUnit.objects.current().provinces().order_by("name")
        communes = AdministrativeUnit.objects.current().communes()
        if scope.everything:
            self.fields["province"].queryset = provinces
        else:
            del self.fields["province"]
            communes = communes.filter(parent_id=scope.province_id)
            # Central bodies are recorded by national users only.
            self.fields["level"].choices = [
                c for c in self.fields["level"].choices if c[0] != Level.CENTRAL
            ]
        self.fields["covered_communes"].queryset = communes

    def initial_from(self, instance) -> dict:
        data = organization_services.organization_input_from(instance)
        return {**data.__dict__, "code": instance.code or ""}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Organization.Kind.FOREIGN and not cleaned.get("country"):
            self.add_error("country", _("Hãy ghi quốc gia của đối tác nước ngoài."))
        return cleaned

    def save(self, *, user):
        cleaned = self.cleaned_data
        data = organization_services.OrganizationInput(
            name=cleaned["name"],
            short_name=cleaned["short_name"],
            code=cleaned["code"] or None,
            kind=cleaned["kind"],
            level=cleaned["level"],
            parent=cleaned["parent"],
            area=cleaned["area"],
            province=cleaned.get("province"),
            party_of=cleaned["party_of"],
            country=cleaned["country"],
            founded_on=cleaned["founded_on"],
            covered_communes=list(cleaned["covered_communes"]),
        )
        if self.instance is None:
            return organization_services.organization_create(user=user, data=data)
        return organization_services.organization_update(
            organization=self.instance,
            user=user,
            data=data,
            expected_version=cleaned["version"],
        )


def _organization_detail_context(request, organization) -> dict:
    """The related organizations the page names, and which of them the user may open."""
    party_committees = list(organization.party_committees.order_by("name"))
    related = [
        organization.parent,
        organization.party_of,
        *organization.successors.all(),
        *organization.predecessors.all(),
        *party_committees,
    ]
    return {
        "party_committees": party_committees,
        "viewable": viewable(request.user, related),
    }


def _organization_export(queryset, fmt, progress=None):
    from units.resources import OrganizationResource, write_table

    dataset = OrganizationResource().export(queryset, progress=progress)
    content = write_table(dataset, fmt)
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return content, content_type, f"to-chuc.{fmt}"


ORGANIZATIONS = register(
    ObjectType(
        key="organizations",
        model=Organization,
        table=OrganizationTable,
        filterset=OrganizationFilter,
        queryset=lambda: Organization.objects.select_related("province").order_by("name", "pk"),
        detail_queryset=lambda: Organization.objects.select_related(
            "province", "area", "parent", "party_of"
        ).prefetch_related("covered_communes", "successors", "predecessors"),
        form=OrganizationForm,
        detail_fields=(
            "name",
            "short_name",
            "code",
            "kind",
            "level",
            "province",
            "area",
            "parent",
            "party_of",
            "covered_communes",
            "country",
            "founded_on",
            "dissolved_on",
            "successors",
        ),
        detail_template="units/organization_detail.html",
        detail_context=_organization_detail_context,
        export=_organization_export,
    )
)


# Administrative units ----------------------------------------------------------------


class UnitFilter(SearchFilterSet):
    province = django_filters.ModelChoiceFilter(
        label=_("Tỉnh, thành phố"),
        queryset=lambda request: AdministrativeUnit.objects.provinces().order_by(
            F("valid_until").desc(nulls_first=True), "name"
        ),
        method="filter_province",
        empty_label=_("Tất cả"),
    )
    type = django_filters.ChoiceFilter(
        label=_("Loại"), choices=AdministrativeUnit.Type.choices, empty_label=_("Tất cả")
    )
    is_border = django_filters.ChoiceFilter(
        label=_("Biên giới"),
        choices=[("yes", _("Biên giới")), ("no", _("Không phải biên giới"))],
        empty_label=_("Tất cả"),
        method="filter_border",
    )
    current = django_filters.ChoiceFilter(
        label=_("Hiệu lực"),
        choices=[("yes", _("Hiện nay")), ("no", _("Trước sắp xếp (cũ)"))],
        empty_label=_("Tất cả"),
        method="filter_current",
    )

    class Meta:
        model = AdministrativeUnit
        fields: list[str] = []

    def filter_province(self, queryset, name, value):
        return queryset.filter(Q(pk=value.pk) | Q(parent=value) | Q(parent__parent=value))

    def filter_border(self, queryset, name, value):
        return queryset.filter(is_border=(value == "yes"))

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value == "yes" else queryset.exclude(pk__in=current.values("pk"))


class UnitTable(SortedTable):
    code = tables.Column(verbose_name=_("Mã"))
    name = tables.Column(verbose_name=_("Tên"))
    type = tables.Column(verbose_name=_("Loại"))
    parent = tables.Column(verbose_name=_("Trực thuộc"), order_by="parent__name")
    is_border = tables.BooleanColumn(verbose_name=_("Biên giới"), yesno=("✓", ""))
    valid_until = tables.DateColumn(verbose_name=_("Hết hiệu lực từ"), format="d/m/Y")

    class Meta(SortedTable.Meta):
        model = AdministrativeUnit
        fields = ("code", "name", "type", "parent", "is_border", "valid_until")

    def render_name(self, value, record):
        return link(str(record), record, "registry:units_detail")

    def value_name(self, value, record):
        return str(record)


UNITS = register(
    ObjectType(
        key="units",
        model=AdministrativeUnit,
        table=UnitTable,
        filterset=UnitFilter,
        queryset=lambda: AdministrativeUnit.objects.select_related("parent").order_by(
            F("valid_until").desc(nulls_first=True), "code"
        ),
        detail_queryset=lambda: AdministrativeUnit.objects.select_related(
            "parent"
        ).prefetch_related("successors", "predecessors", "children"),
        detail_template="units/unit_detail.html",
        list_template="units/unit_list.html",
        list_context=lambda request, table, filterset: {"source": units_source()},
        detail_fields=(
            "code",
            "name",
            "type",
            "parent",
            "is_border",
            "valid_from",
            "valid_until",
            "successors",
        ),
    )
)
