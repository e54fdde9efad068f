from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units.models import Organization
from units.text import search

AUTOCOMPLETE_LIMIT = 20


@require_GET
@never_cache
def healthz(request):
    """Liveness for load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def organization_autocomplete(request):
    """Organizations the user may choose, by any words of their name, diacritics optional."""
    organizations = Organization.objects.restrict(request.user)
    query = request.GET.get("q", "")
    if query.strip():
        organizations = search(organizations, query)
    organizations = organizations.select_related("province").order_by(
        F("dissolved_on").asc(nulls_first=True), "name"
    )[:AUTOCOMPLETE_LIMIT]
    results = [
        {
            "id": organization.pk,
            "text": organization.name,
            "detail": ", ".join(
                part
                for part in (
                    organization.get_kind_display(),
                    organization.province.name if organization.province else "",
                    _("giải thể %(date)s")
                    % {"date": organization.dissolved_on.strftime("%d/%m/%Y")}
                    if organization.dissolved_on
                    else "",
                )
                if part
            ),
        }
        for organization in organizations
    ]
    return JsonResponse({"results": results})
