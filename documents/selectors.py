"""Reads of outgoing documents, scoped to the user."""

from django.db.models import QuerySet

from documents.models import IssuedDocument
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
