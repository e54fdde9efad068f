from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
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


class KeepsIndicatorTotals:
    """Admin saves and deletes bypass the review services, so they keep the stored
    indicator totals themselves: the reviews' figures are taken before the write, read
    again after it, and the difference applied (services.indicator_totals_update)."""

    def reviews_of(self, queryset) -> set[int]:
        """The reviews whose figures a write to these rows can change, as stored now."""
        raise NotImplementedError

    def reviews_written(self, obj) -> set[int]:
        """The reviews a save of obj touches: those of its row, and any it now points to."""
        return self.reviews_of(self.model._default_manager.filter(pk=obj.pk))

    def _lock(self, queryset) -> None:
        # Other writers wait until this request commits (see indicator_contributions).
        list(queryset.select_for_update().order_by("pk").values_list("pk"))

    def save_model(self, request, obj, form, change):
        # Also called alone, without save_related, when a history version is reverted;
        # its own transaction, since neither that page nor delete_selected opens one.
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._lock(self.model._default_manager.filter(pk=obj.pk))
            reviews = self.reviews_written(obj)
            before = services.indicator_contributions(review_ids=reviews)
            super().save_model(request, obj, form, change)
            reviews |= self.reviews_written(obj)
            services.indicator_totals_update(before=before, review_ids=reviews)

    def save_related(self, request, form, formsets, change):
        # The inlines: a review's figures are edited in its change form.
        with transaction.atomic(using=router.db_for_write(self.model)):
            reviews = self.reviews_written(form.instance)
            before = services.indicator_contributions(review_ids=reviews)
            super().save_related(request, form, formsets, change)
            services.indicator_totals_update(before=before, review_ids=reviews)

    def delete_model(self, request, obj):
        self.delete_queryset(request, self.model._default_manager.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            self._lock(queryset)
            reviews = self.reviews_of(queryset)
            before = services.indicator_contributions(review_ids=reviews)
            super().delete_queryset(request, queryset)
            services.indicator_totals_update(before=before, review_ids=reviews)


class PartyInlineFormSet(BaseInlineFormSet):
    """Holds admin edits to the same rules as the services (parties, dates, overlap)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        agreement = self.instance
        parties = [
            services.PartyInput(
                organization=form.cleaned_data["organization"],
                role=form.cleaned_data.get("role") or AgreementParty.Role.PARTY,
            )
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("organization")
        ]
        if agreement.valid_from is None:
            return
        data = services.AgreementInput(
            kind=agreement.kind,
            title=agreement.title,
            valid_from=agreement.valid_from,
            valid_until=agreement.valid_until,
            signed_on=agreement.signed_on,
            parties=parties,
        )
        try:
            services.agreement_validate(data=data, agreement=agreement)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    formset = PartyInlineFormSet
    extra = 0
    autocomplete_fields = ["organization"]


class AgreementAttachmentInline(admin.TabularInline):
    model = Attachment
    fk_name = "agreement"
    extra = 0
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        # Uploads go through attachment_add, which checks content, size and duplicates.
        return False


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
class AgreementAdmin(
    KeepsIndicatorTotals, ImportExportMixin, FoldedSearchMixin, SimpleHistoryAdmin
):
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
    autocomplete_fields = ["province", "supersedes"]
    filter_horizontal = ["focus_areas", "legal_bases"]
    readonly_fields = [
        "status",
        "ended_on",
        "termination_reason",
        "termination_note",
        "version",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
    ]
    inlines = [AgreementPartyInline, AgreementAttachmentInline]
    actions = ["expire_selected"]
    list_per_page = 50

    def reviews_of(self, queryset) -> set[int]:
        return set(Review.objects.filter(agreement__in=queryset).values_list("pk", flat=True))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.agreement_parties_recorded(agreement=form.instance, user=request.user)

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


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    autocomplete_fields = ["indicator"]


class FocusResultInline(admin.StackedInline):
    model = ReviewFocusResult
    extra = 0


class ReviewSearchMixin:
    search_fields = ["agreement__search_text"]

    def get_search_results(self, request, queryset, search_term):
        from units.text import search

        if not search_term:
            return queryset, False
        return search(queryset, search_term, field="agreement__search_text"), False


@admin.register(Review)
class ReviewAdmin(KeepsIndicatorTotals, ImportExportMixin, ReviewSearchMixin, SimpleHistoryAdmin):
    resource_classes = [ReviewResource]
    formats = SAFE_FORMATS
    list_display = ["agreement", "kind", "year", "held_on", "status"]
    list_filter = ["kind", "status", "year"]
    list_select_related = ["agreement"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["agreement", "issuing_organization"]
    readonly_fields = [
        "status",
        "approved_by",
        "approved_at",
        "version",
        "created_by",
        "updated_by",
    ]
    inlines = [IndicatorValueInline, FocusResultInline, ReviewAttachmentInline]
    actions = ["approve_selected"]

    def reviews_of(self, queryset) -> set[int]:
        return set(queryset.values_list("pk", flat=True))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Duyệt các báo cáo đã chọn"))
    def approve_selected(self, request, queryset):
        for review in queryset:
            try:
                services.review_approve(review=review, user=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{review}: {exc.messages[0]}", messages.WARNING)


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
class IndicatorValueAdmin(KeepsIndicatorTotals, SimpleHistoryAdmin):
    list_display = ["review", "indicator", "value"]
    list_select_related = ["review__agreement", "indicator"]
    autocomplete_fields = ["review", "indicator"]

    def reviews_of(self, queryset) -> set[int]:
        return set(queryset.values_list("review_id", flat=True))

    def reviews_written(self, obj) -> set[int]:
        # A figure moved to another review changes the totals of both.
        return super().reviews_written(obj) | {obj.review_id}


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "agreement", "review", "content_type", "size", "uploaded_at"]
    list_select_related = ["agreement", "review__agreement"]
    # The file and what it belongs to were checked by attachment_add: only the
    # description may change here.
    readonly_fields = [
        "file",
        "original_name",
        "agreement",
        "review",
        "sha256",
        "size",
        "content_type",
        "uploaded_by",
        "uploaded_at",
    ]
    search_fields = ["original_name"]

    def has_add_permission(self, request):
        return False
