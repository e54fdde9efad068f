from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>.pdf", views.pdf, name="pdf"),
    path("<int:pk>/signed/", views.signed_copy_upload, name="signed_copy_upload"),
    path("issue/reviews/<int:pk>/", views.review_issue, name="review_issue"),
    path("issue/annual/<int:year>/", views.annual_issue, name="annual_issue"),
    path("headers/<int:organization_pk>/", views.header_edit, name="header_edit"),
]
