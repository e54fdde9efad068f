from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from agreements import services
from agreements.models import (
    Agreement,
    AgreementParty,
    Attachment,
    FocusArea,
    Indicator,
    IndicatorValue,
    LegalDocument,
    Review,
    ReviewFocusResult,
)
from agreements.resources import AgreementResource, ReviewResource
from units.admin import FoldedSearchMixin, ProvinceListFilter
from units.formulas import SAFE_FORMATS


class ReadOnlyThroughServices:
    """Agreements, reviews and their parts are seen and exported here, never written.

    The web pages and the import are the ways to change them: both end in
    agreements.services, which check every rule, advance the version that guards
    against lost updates and keep the stored indicator totals. An admin form saving
    the model directly would do none of that, so add, change, delete and reverting a
    history version are refused, for superusers too.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a reverted version on POST without asking
        # has_change_permission; the GET still shows the old version.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AgreementPartyInline(ReadOnlyInline):
    model = AgreementParty


class AgreementAttachmentInline(ReadOnlyInline):
    model = Attachment
    fk_name = "agreement"
    fields = [
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "removed_at",
    ]
    readonly_fields = fields


class ReviewAttachmentInline(AgreementAttachmentInline):
    fk_name = "review"


class PeriodFilter(admin.SimpleListFilter):
    title = _("nhiệm kỳ")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        rows = (
            Agreement.objects.order_by()
            .values_list("valid_from__year", "valid_until__year")
            .distinct()
        )
        periods = sorted({(a, b) for a, b in rows}, reverse=True, key=lambda p: (p[0], p[1] or 0))
        return [(f"{a}-{b or ''}", f"{a}–{b or ''}") for a, b in periods]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        start, _sep, end = self.value().partition("-")
        queryset = queryset.filter(valid_from__year=start)
        if end:
            return queryset.filter(valid_until__year=end)
        return queryset.filter(valid_until__isnull=True)


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyThroughServices, ExportMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    resource_classes = [AgreementResource]
    formats = SAFE_FORMATS
    list_display = ["number", "title", "kind", "status", "province", "valid_from", "valid_until"]
    list_filter = [
        ProvinceListFilter,
        "kind",
        "status",
        PeriodFilter,
        "focus_areas",
    ]
    list_select_related = ["province"]
    date_hierarchy = "signed_on"
    inlines = [AgreementPartyInline, AgreementAttachmentInline]
    actions = ["expire_selected"]
    list_per_page = 50

    # What the daily expire_agreements job does, through the same service, for an admin
    # who does not want to wait for it.
    @admin.action(description=_("Chuyển sang hết hiệu lực (các văn bản đã quá thời hạn)"))
    def expire_selected(self, request, queryset):
        done = 0
        for agreement in queryset:
            try:
                services.agreement_expire(agreement=agreement, user=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{agreement}: {exc.messages[0]}", messages.WARNING)
        self.message_user(request, _("Đã chuyển %(n)d văn bản.") % {"n": done})


class IndicatorValueInline(ReadOnlyInline):
    model = IndicatorValue


class FocusResultInline(ReadOnlyInline):
    model = ReviewFocusResult


class ReviewSearchMixin:
    search_fields = ["agreement__search_text"]

    def get_search_results(self, request, queryset, search_term):
        from units.text import search

        if not search_term:
            return queryset, False
        return search(queryset, search_term, field="agreement__search_text"), False


@admin.register(Review)
class ReviewAdmin(ReadOnlyThroughServices, ExportMixin, ReviewSearchMixin, SimpleHistoryAdmin):
    resource_classes = [ReviewResource]
    formats = SAFE_FORMATS
    list_display = ["agreement", "kind", "year", "held_on", "status"]
    list_filter = ["kind", "status", "year"]
    list_select_related = ["agreement"]
    date_hierarchy = "held_on"
    inlines = [IndicatorValueInline, FocusResultInline, ReviewAttachmentInline]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name"]
    search_fields = ["name", "code"]


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "doc_type", "issuer", "issued_on", "title"]
    search_fields = ["number", "title"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "group", "name", "unit"]
    list_filter = ["group"]
    search_fields = ["name", "code"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyThroughServices, SimpleHistoryAdmin):
    list_display = ["review", "indicator", "value"]
    list_select_related = ["review__agreement", "indicator"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyThroughServices, admin.ModelAdmin):
    list_display = [
        "original_name",
        "agreement",
        "review",
        "content_type",
        "size",
        "uploaded_at",
        "removed_at",
    ]
    list_select_related = ["agreement", "review__agreement"]
    search_fields = ["original_name"]
