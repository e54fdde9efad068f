from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

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


class UnitFormerNameInline(admin.TabularInline):
    """Earlier names come from units/data/unit_changes.csv through the loader."""

    model = UnitFormerName
    extra = 0
    can_delete = False
    readonly_fields = ["name", "type", "valid_until", "changed_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UnitDataLoad)
class UnitDataLoadAdmin(admin.ModelAdmin):
    """Written by `load_admin_units` only."""

    list_display = ["loaded_at", "source", "source_version", "check_source", "check_version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    inlines = [UnitFormerNameInline]
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
    actions = ["dissolve_selected"]

    def get_readonly_fields(self, request, obj=None):
        # A dissolution goes through the action, which offers to terminate the
        # organization's in-force agreements; a recorded one may still be corrected.
        if obj is not None and obj.dissolved_on is None:
            return ["dissolved_on", "successor"]
        return []

    @admin.action(description=_("Giải thể các tổ chức đã chọn…"), permissions=["change"])
    def dissolve_selected(self, request, queryset):
        """Mark organizations dissolved, offering to terminate their in-force agreements."""
        from agreements.models import Agreement
        from agreements.services import organization_dissolve

        data = request.POST if "apply" in request.POST else None
        form = DissolveForm(data)
        if form.is_bound and form.is_valid():
            terminated, failed = 0, 0
            for organization in queryset:
                try:
                    terminated += len(
                        organization_dissolve(
                            organization=organization,
                            user=request.user,
                            on=form.cleaned_data["dissolved_on"],
                            successor=form.cleaned_data["successor"],
                            terminate_agreements=form.cleaned_data["terminate_agreements"],
                        )
                    )
                except ValidationError as exc:
                    failed += 1
                    self.message_user(
                        request, f"{organization}: {'; '.join(exc.messages)}", messages.ERROR
                    )
            self.message_user(
                request,
                _("Đã ghi nhận giải thể %(n)d tổ chức; chấm dứt %(t)d văn bản đang hiệu lực.")
                % {"n": queryset.count() - failed, "t": terminated},
            )
            return None
        in_force = dict(
            Agreement.objects.filter(
                status=Agreement.Status.IN_FORCE, parties__organization__in=queryset
            )
            .values("parties__organization")
            .annotate(n=Count("id"))
            .values_list("parties__organization", "n")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Giải thể tổ chức"),
            "opts": self.model._meta,
            "form": form,
            "rows": [(org, in_force.get(org.pk, 0)) for org in queryset],
            "queryset": queryset,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/units/organization/dissolve.html", context)


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(label=_("Ngày giải thể"), widget=AdminDateWidget)
    successor = forms.ModelChoiceField(
        label=_("Tổ chức kế thừa"),
        queryset=Organization.objects.all(),
        required=False,
        widget=AutocompleteSelect(Organization._meta.get_field("successor"), admin.site),
    )
    terminate_agreements = forms.BooleanField(
        label=_("Chấm dứt các văn bản đang hiệu lực với lý do “đơn vị ký kết giải thể, sáp nhập”"),
        required=False,
        initial=True,
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Phạm vi"), {"fields": ("organization",)}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Phạm vi"), {"fields": ("organization",)}),)
    list_display = ["username", "first_name", "last_name", "organization", "is_staff"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
