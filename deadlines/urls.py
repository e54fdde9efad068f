from django.urls import path

from deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("completeness/", views.completeness, name="completeness"),
    path("directives/", views.directive_list, name="directive_list"),
    path("directives/<int:pk>/", views.directive_detail, name="directive_detail"),
    path(
        "directives/<int:pk>/not-complied.<str:fmt>",
        views.directive_export,
        name="directive_export",
    ),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/read-all/", views.notice_read_all, name="notice_read_all"),
    path("notices/settings/", views.notice_settings, name="notice_settings"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice_read"),
    path("deadlines/", views.deadline_list, name="deadline_list"),
    path("deadlines.ics", views.deadline_ics, name="deadline_ics"),
]
