from django.urls import include, path

from agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreements/", views.agreement_list, name="list"),
    path("agreements/export.<str:fmt>", views.agreement_export, name="export"),
    path("agreements/new/", views.agreement_create, name="create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("agreements/<int:pk>/renew/", views.agreement_renew, name="renew"),
    path("agreements/<int:pk>/terminate/", views.agreement_terminate, name="terminate"),
    path("agreements/<int:pk>/activate/", views.agreement_activate, name="activate"),
    path("agreements/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("agreements/<int:pk>/reviews/new/", views.review_create, name="review_create"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/approve/", views.review_approve, name="review_approve"),
    path("import/", include("agreements.import_urls")),
    path("coverage/", include("agreements.coverage_urls")),
]
