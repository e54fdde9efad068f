from django.contrib import admin

from documents.forms import TrustRootForm
from documents.models import IssuedDocument, OrganizationHeader, PartyTerm, SignedCopy, TrustRoot
from documents.services import trust_root_install


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


@admin.register(TrustRoot)
class TrustRootAdmin(admin.ModelAdmin):
    """Admins install the government CA's root and intermediate certificates as files."""

    form = TrustRootForm
    list_display = ["name", "subject", "is_root", "installed_at"]
    readonly_fields = ["subject", "is_root", "installed_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        installed = trust_root_install(
            user=request.user, name=form.cleaned_data["name"], data=form.cleaned_data["file"]
        )
        obj.pk = installed.pk


@admin.register(SignedCopy)
class SignedCopyAdmin(admin.ModelAdmin):
    list_display = ["document", "signer_name", "signed_at", "trusted", "uploaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
