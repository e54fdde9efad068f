"""Many new agreements at once (the import): each checked by the same rules as
agreement_create, then written together with their history."""

from django.db import transaction
from django.utils import timezone

from agreements.models import (
    AGREEMENT_HISTORY,
    Agreement,
    AgreementParty,
)
from agreements.services.agreements import (
    _TRUSTED_FIELDS,
    AgreementInput,
    _new_agreement,
    _party_values,
    _today,
    validate_agreement,
)
from units.bulk import insert_rows

Status = Agreement.Status


class AgreementBatch:
    """New agreements checked one by one and written together: a spreadsheet import.

    `add` applies validate_agreement to each, against the agreements in force read
    once and those added before it, so a clash within the file is caught as well as
    one with the database; `save` writes the batch with a few queries per table,
    with the same history records (and importing user) agreement_create leaves. New
    agreements have no reviews, so the indicator totals do not move. A caller that
    writes agreements another way in between calls `save` first and `refresh` after.
    """

    def __init__(self, *, user):
        self.user = user
        self.today = _today()
        self.pending: list[tuple[Agreement, AgreementInput, list[AgreementParty]]] = []
        self.in_force_with: dict[str, list[Agreement]] = {}
        self._in_force_key: dict[int, str] = {}
        in_force = Agreement.objects.filter(status=Status.IN_FORCE).only(
            "parties_key", "title", "valid_from", "valid_until"
        )
        for agreement in in_force.order_by("-valid_from", "-id"):
            self._hold(agreement)

    def _hold(self, agreement: Agreement) -> None:
        self.in_force_with.setdefault(agreement.parties_key, []).append(agreement)
        if agreement.pk:
            self._in_force_key[agreement.pk] = agreement.parties_key

    def refresh(self, *, pks) -> None:
        """Read again the agreements a write outside the batch may have changed."""
        for pk in pks:
            key = self._in_force_key.pop(pk, None)
            if key is not None:
                self.in_force_with[key] = [a for a in self.in_force_with[key] if a.pk != pk]
        for agreement in Agreement.objects.filter(pk__in=pks, status=Status.IN_FORCE).only(
            "parties_key", "title", "valid_from", "valid_until"
        ):
            self._hold(agreement)

    def add(self, *, data: AgreementInput, in_force: bool = True) -> Agreement:
        """Validate as agreement_create does and hold the agreement until `save`."""
        if data.supersedes:
            raise ValueError("a batch creates agreements that replace none (agreement_renew does)")
        parties_key = validate_agreement(
            data=data, in_force=in_force, in_force_with=self.in_force_with, today=self.today
        )
        agreement = _new_agreement(
            user=self.user, data=data, parties_key=parties_key, in_force=in_force
        )
        agreement.full_clean(exclude=_TRUSTED_FIELDS, validate_constraints=False)
        agreement.refresh_search_text()
        parties = []
        for order, item in enumerate(data.parties, start=1):
            party = AgreementParty(
                organization_id=item.organization.pk, **_party_values(item, order)
            )
            party.clean_fields(exclude=["agreement", "organization"])
            parties.append(party)
        self.pending.append((agreement, data, parties))
        if in_force:
            self._hold(agreement)
        return agreement

    @transaction.atomic
    def save(self) -> list[Agreement]:
        """Write the held agreements, their links, parties and history records.

        The agreements go through bulk_create, which returns their ids; the rest (links,
        parties and the history copy of each, some fifteen rows per agreement) go in as
        plain rows by units.bulk.insert_rows, each history row a copy of what was just
        stored, read back by id, under one timestamp and the importing user.
        """
        if not self.pending:
            return []
        agreements = Agreement.objects.bulk_create([a for a, _data, _parties in self.pending])
        for agreement in agreements:
            if agreement.status == Status.IN_FORCE:
                self._in_force_key[agreement.pk] = agreement.parties_key
        ids = {agreement.pk for agreement in agreements}
        stamp = (timezone.now(), None, "+", self.user.pk)
        history = self._copy_to_history(Agreement, "id", ids, stamp)
        for name in ("focus_areas", "legal_bases"):
            field = Agreement._meta.get_field(name)
            through = field.remote_field.through
            source = f"{field.m2m_field_name()}_id"
            target = f"{field.m2m_reverse_field_name()}_id"
            insert_rows(
                through,
                [source, target],
                (
                    (a.pk, pk)
                    for a, data, _parties in self.pending
                    # A code named twice is one link, as .set() makes it.
                    for pk in dict.fromkeys(linked.pk for linked in getattr(data, name))
                ),
            )
            # The copies create_historical_record keeps of the links, as agreement_create.
            m2m_history = AGREEMENT_HISTORY.m2m_models[field]
            columns = ["id", source, target]
            insert_rows(
                m2m_history,
                [*columns, "history_id"],
                ((*link, history[link[1]]) for link in _rows_of(through, columns, source, ids)),
            )
        insert_rows(
            AgreementParty,
            ["agreement_id", "organization_id", *_PARTY_COLUMNS],
            (
                (agreement.pk, party.organization_id, *(getattr(party, c) for c in _PARTY_COLUMNS))
                for agreement, _data, items in self.pending
                for party in items
            ),
        )
        self._copy_to_history(AgreementParty, "agreement_id", ids, stamp)
        self.pending = []
        return agreements

    @staticmethod
    def _copy_to_history(model, key: str, ids: set[int], stamp: tuple) -> dict[int, int]:
        """History rows ("+", by the importing user) of `model`'s rows whose `key` is in
        `ids`, copied from the database; returns each record's history_id by its id."""
        history = model.history.model
        tracked = [f.attname for f in history.tracked_fields]
        rows = _rows_of(model, tracked, key, ids)
        insert_rows(
            history,
            [*tracked, "history_date", "history_change_reason", "history_type", "history_user_id"],
            ((*row, *stamp) for row in rows),
        )
        if model is not Agreement:
            return {}
        return dict(_rows_of(history, ["id", "history_id"], "id", ids, history_type="+"))


# The party values AgreementBatch writes besides its agreement and organization.
_PARTY_COLUMNS = ("role", "signatory_name", "signatory_title", "order")


def _rows_of(model, columns, key: str, ids: set[int], **filters) -> list[tuple]:
    """`columns` (among them `key`) of the rows whose `key` is one of `ids`, the new ids
    of one batch: read by their range, one condition whatever their number, keeping only
    those of the batch, as another transaction may have taken ids in between."""
    position = columns.index(key)
    bounds = {f"{key}__gte": min(ids), f"{key}__lte": max(ids)}
    query = model._base_manager.filter(**bounds, **filters)
    return [row for row in query.values_list(*columns).order_by("pk") if row[position] in ids]
