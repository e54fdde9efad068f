from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from units.formulas import SAFE_FORMATS
from units.models import AdministrativeUnit, Organization, UnitDataLoad, UnitFormerName, User
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


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Domain records are read here and written in the web pages, whose every write goes
    through a service with its rules and version check (one write path). Admins see the
    rows, their history and exports; the web pages are where they change them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnitFormerNameInline(admin.TabularInline):
    """Earlier names come from units/data/unit_changes.csv through the loader."""

    model = UnitFormerName
    extra = 0
    can_delete = False
    readonly_fields = ["name", "type", "valid_until", "changed_by"]


@admin.register(UnitDataLoad)
class UnitDataLoadAdmin(admin.ModelAdmin):
    """Written by `load_admin_units` only."""

    list_display = ["loaded_at", "source", "source_version", "check_source", "check_version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchMixin, ReadOnlyAdmin):
    inlines = [UnitFormerNameInline]
    list_display = ["code", "name", "type", "parent", "is_border", "valid_from", "valid_until"]
    list_filter = ["type", UnitProvinceFilter, "is_border", "valid_until"]
    list_select_related = ["parent"]
    list_per_page = 50


@admin.register(Organization)
class OrganizationAdmin(ExportMixin, FoldedSearchMixin, ReadOnlyAdmin):
    resource_classes = [OrganizationResource]
    formats = SAFE_FORMATS
    list_display = ["name", "short_name", "code", "kind", "level", "province", "dissolved_on"]
    list_filter = ["kind", "level", ProvinceListFilter, DissolvedFilter]
    list_select_related = ["province"]
    list_per_page = 50


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Phạm vi"), {"fields": ("organization",)}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Phạm vi"), {"fields": ("organization",)}),)
    list_display = ["username", "first_name", "last_name", "organization", "is_staff"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
