from django.contrib import admin

from deadlines import services
from deadlines.models import Directive, DirectiveReport, Notice, ReviewDueOverride


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issued_on", "province"]
    list_filter = ["province"]
    search_fields = ["number", "title"]
    autocomplete_fields = ["issuer", "reported_through"]

    def save_model(self, request, obj, form, change):
        services.directive_save(directive=obj)


@admin.register(ReviewDueOverride)
class ReviewDueOverrideAdmin(admin.ModelAdmin):
    list_display = ["agreement", "day", "month", "note"]
    autocomplete_fields = ["agreement"]

    def save_model(self, request, obj, form, change):
        services.review_due_override_set(
            agreement=obj.agreement,
            month=obj.month,
            day=obj.day,
            note=obj.note,
            user=request.user,
        )

    def delete_model(self, request, obj):
        services.review_due_override_set(
            agreement=obj.agreement, month=None, day=None, user=request.user
        )


@admin.register(DirectiveReport)
class DirectiveReportAdmin(admin.ModelAdmin):
    list_display = ["directive", "organization", "year", "received_on"]
    list_filter = ["year"]
    # Reports are recorded on the directive's page, through the service and its checks.
    readonly_fields = ["directive", "organization", "year", "review", "recorded_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "subject", "created_on", "read_at", "emailed_at"]
    list_filter = ["kind", "created_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
