"""Pages of an organization or an administrative unit, with the agreements signed there.

They live here, not in `units`, because they show agreements: `units` is the lower
layer and never imports `agreements` (tests/units/test_layering.py).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agreements import selectors
from agreements.models import Agreement
from units.models import AdministrativeUnit, Organization
from units.scoping import get_scoped_or_404


def _agreements_of(user, organizations) -> list[Agreement]:
    agreements = Agreement.objects.restrict(user).filter(parties__organization__in=organizations)
    return list(
        selectors.agreement_list(agreements.distinct()).order_by("-valid_from", "-id")[:200]
    )


@login_required
@require_GET
def organization_detail(request, pk):
    organization = get_scoped_or_404(
        Organization.objects.select_related(
            "parent", "area", "province", "party_of", "successor"
        ).prefetch_related("covered_communes", "predecessors", "party_committees"),
        request.user,
        pk=pk,
    )
    context = {
        "organization": organization,
        "predecessors": organization.predecessors.all(),
        "covered_communes": organization.covered_communes.all(),
        "party_committees": organization.party_committees.all(),
        "agreements": _agreements_of(request.user, [organization]),
    }
    return render(request, "units/organization_detail.html", context)


@login_required
@require_GET
def unit_detail(request, code):
    """A province or commune, current or abolished, and the agreements signed there."""
    units = AdministrativeUnit.objects.select_related("parent").prefetch_related(
        "successors", "predecessors"
    )
    unit = units.filter(code=code).order_by(F("valid_until").desc(nulls_first=True)).first()
    if unit is None:
        raise Http404
    organizations = Organization.objects.restrict(request.user).filter(
        Q(area=unit) | Q(covered_communes=unit)
    )
    organizations = list(organizations.distinct().order_by("name"))
    context = {
        "unit": unit,
        "successors": unit.successors.all(),
        "predecessors": unit.predecessors.all(),
        "organizations": organizations,
        "agreements": _agreements_of(request.user, organizations),
    }
    return render(request, "units/unit_detail.html", context)
