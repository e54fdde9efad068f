"""Writes to agreements, reviews, their figures and files: every status change goes
through here. One module per concern; callers import from this package.

Each service is keyword-only, atomic, validates with Vietnamese messages before it
writes, and records who made the change in the history tables.
"""

from agreements.services.agreements import (
    AGREEMENT_EDITABLE_FIELDS,
    ALLOWED_TRANSITIONS,
    TERM_YEARS,
    AgreementInput,
    PartyInput,
    agreement_activate,
    agreement_create,
    agreement_delete,
    agreement_expire,
    agreement_renew,
    agreement_terminate,
    agreement_termination_undo,
    agreement_update,
    agreements_expire_due,
    organization_dissolve,
    validate_agreement,
)
from agreements.services.attachments import (
    FILE_SIGNATURES,
    agreement_create_with_scan,
    attachment_add,
    attachment_remove,
    attachment_replace,
    files_discarded_on_failure,
    sniff_content_type,
)
from agreements.services.batch import AgreementBatch
from agreements.services.reviews import (
    REVIEW_EDITABLE_FIELDS,
    review_approve,
    review_create,
    review_delete,
    review_update,
)
from agreements.services.totals import (
    indicator_contributions,
    indicator_totals_rebuild,
    indicator_totals_update,
)
from units.versioning import ConcurrentEditError

__all__ = [
    "ConcurrentEditError",
    "AGREEMENT_EDITABLE_FIELDS",
    "ALLOWED_TRANSITIONS",
    "AgreementBatch",
    "AgreementInput",
    "FILE_SIGNATURES",
    "PartyInput",
    "REVIEW_EDITABLE_FIELDS",
    "TERM_YEARS",
    "agreement_activate",
    "agreement_create",
    "agreement_create_with_scan",
    "agreement_delete",
    "agreement_expire",
    "agreement_renew",
    "agreement_terminate",
    "agreement_termination_undo",
    "agreement_update",
    "agreements_expire_due",
    "attachment_add",
    "attachment_remove",
    "attachment_replace",
    "files_discarded_on_failure",
    "indicator_contributions",
    "indicator_totals_rebuild",
    "indicator_totals_update",
    "organization_dissolve",
    "review_approve",
    "review_create",
    "review_delete",
    "review_update",
    "sniff_content_type",
    "validate_agreement",
]
