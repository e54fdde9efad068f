from django.urls import include, path

from agreements import organization_views, views
from registry import views as registry_views

app_name = "agreements"
# The list, export and detail are the registry's generic views (agreements/objects.py),
# mounted here under the names every template and test already uses.
AGREEMENTS = {"type_key": "agreements"}
REVIEWS = {"type_key": "reviews"}
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreements/", registry_views.object_list, AGREEMENTS, name="list"),
    path("agreements/export.<str:fmt>", registry_views.object_export, AGREEMENTS, name="export"),
    path("agreements/new/", views.agreement_create, name="create"),
    path("agreements/<int:pk>/", registry_views.object_detail, AGREEMENTS, name="detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("agreements/<int:pk>/renew/", views.agreement_renew, name="renew"),
    path("agreements/<int:pk>/terminate/", views.agreement_terminate, name="terminate"),
    path("agreements/<int:pk>/activate/", views.agreement_activate, name="activate"),
    path("agreements/<int:pk>/delete/", views.agreement_delete, name="delete"),
    path(
        "agreements/<int:pk>/undo-termination/",
        views.agreement_termination_undo,
        name="termination_undo",
    ),
    path("agreements/autocomplete/", views.agreement_autocomplete, name="autocomplete"),
    path("agreements/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("agreements/<int:pk>/reviews/new/", views.review_create, name="review_create"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("attachments/<int:pk>/replace/", views.attachment_replace, name="attachment_replace"),
    path("reviews/<int:pk>/", registry_views.object_detail, REVIEWS, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/approve/", views.review_approve, name="review_approve"),
    path("reviews/<int:pk>/delete/", views.review_delete, name="review_delete"),
    path("import/", include("agreements.import_urls")),
    path(
        "organizations/<int:pk>/dissolve/",
        organization_views.organization_dissolve,
        name="organization_dissolve",
    ),
    path("coverage/", include("agreements.coverage_urls")),
]
