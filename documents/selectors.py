"""Reads of outgoing documents, scoped to the user."""

from django.db.models import QuerySet

from documents.models import IssuedDocument, SignedCopy
from units.models import Organization


def documents() -> QuerySet:
    return IssuedDocument.objects.select_related("organization", "replaces", "review")


def register_rows(user, organization: str = "") -> QuerySet:
    """The register in the user's scope, newest first; one issuing body when asked."""
    rows = documents().restrict(user).order_by("organization__name", "-issued_on", "-number")
    if organization.isdigit():
        rows = rows.filter(organization_id=int(organization))
    return rows


def issuers_with_documents(user) -> QuerySet:
    issued = IssuedDocument.objects.restrict(user).values("organization_id")
    return Organization.objects.filter(pk__in=issued).order_by("name")


def valid_signed_copy(document: IssuedDocument) -> SignedCopy | None:
    """The latest signed copy that passed every check, if any."""
    copies = document.signed_copies.filter(
        has_signature=True, intact=True, covers_whole=True, same_document=True, trusted=True
    )
    return copies.order_by("-uploaded_at", "-id").first()


def served_file(document: IssuedDocument):
    """What a download of an issued document serves: its valid signed copy, else the PDF
    as issued."""
    copy = valid_signed_copy(document)
    return copy.file if copy is not None else document.pdf
