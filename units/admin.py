from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from units.models import AdministrativeUnit, Organization, User
from units.resources import OrganizationResource
from units.text import search


class FoldedSearchMixin:
    """Admin search (and so admin autocomplete) through the diacritic-folding helper."""

    search_fields = ["search_text"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return search(queryset, search_term), False


class ProvinceListFilter(admin.SimpleListFilter):
    title = _("tỉnh, thành phố")
    parameter_name = "province"
    field = "province"

    def lookups(self, request, model_admin):
        return [
            (p.pk, p.name)
            for p in AdministrativeUnit.objects.current().provinces().order_by("name")
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.field}_id": self.value()})
        return queryset


class UnitProvinceFilter(ProvinceListFilter):
    field = "parent"


class DissolvedFilter(admin.SimpleListFilter):
    title = _("đã giải thể")
    parameter_name = "dissolved"

    def lookups(self, request, model_admin):
        return [("yes", _("Đã giải thể")), ("no", _("Đang hoạt động"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(dissolved_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(dissolved_on__isnull=True)
        return queryset


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "type", "parent", "is_border", "valid_from", "valid_until"]
    list_filter = ["type", UnitProvinceFilter, "is_border", "valid_until"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "successors"]
    readonly_fields = ["search_text"]
    list_per_page = 50


@admin.register(Organization)
class OrganizationAdmin(ImportExportMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    resource_classes = [OrganizationResource]
    formats = [XLSX, CSV]
    list_display = ["name", "short_name", "code", "kind", "level", "province", "dissolved_on"]
    list_filter = ["kind", "level", ProvinceListFilter, DissolvedFilter]
    list_select_related = ["province"]
    autocomplete_fields = [
        "parent",
        "area",
        "province",
        "party_of",
        "covered_communes",
        "successor",
    ]
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        # A dissolution goes through the action (agreements.admin), which offers to end the
        # organization's in-force agreements; a recorded one may still be corrected.
        if obj is not None and obj.dissolved_on is None:
            return ["dissolved_on", "successor"]
        return []


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Phạm vi"), {"fields": ("organization",)}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Phạm vi"), {"fields": ("organization",)}),)
    list_display = ["username", "first_name", "last_name", "organization", "is_staff"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
