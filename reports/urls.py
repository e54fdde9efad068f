from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("reviews/<int:pk>.pdf", views.review_pdf, name="review_pdf"),
    path("reviews/<int:pk>/", views.review_preview, name="review_preview"),
    path("annual/<int:year>.pdf", views.annual_pdf, name="annual_pdf"),
    path("annual/<int:year>/", views.annual_preview, name="annual_preview"),
    path("annual/<int:year>/batch", views.annual_batch, name="annual_batch"),
]
