from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from units import views as unit_views

# Admin is for superusers only (units.roles): its lists are not limited by province,
# so staff of a province must never reach it.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

# A record whose file the storage lost gets a 404 that says so (units.files).
handler404 = "units.views.page_not_found"

urlpatterns = [
    path("healthz", unit_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("units.urls")),
    path("", include("agreements.urls")),
    path("", include("registry.urls")),
    path("reports/", include("reports.urls")),
    path("", include("deadlines.urls")),
    path("jobs/", include("jobs.urls")),
    path("documents/", include("documents.urls")),
]

# Uploaded files (signed scans, minutes) are never served as media, not even with DEBUG
# on: only the scoped download view (agreements:attachment_download) hands them out.
