from django.contrib import admin

from documents.models import IssuedDocument, OrganizationHeader, PartyTerm


@admin.register(OrganizationHeader)
class OrganizationHeaderAdmin(admin.ModelAdmin):
    list_display = ["organization", "abbreviation", "valid_from", "valid_until"]
    autocomplete_fields = ["organization"]
    search_fields = ["organization__name"]


@admin.register(PartyTerm)
class PartyTermAdmin(admin.ModelAdmin):
    list_display = ["organization", "starts_on"]
    autocomplete_fields = ["organization"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read-only: a document is issued through the service and never edited after."""

    list_display = ["number_line", "organization", "issued_on", "summary"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
