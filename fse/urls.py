from django.urls import path

from . import views

app_name = "fse"

urlpatterns = [
    path("", views.operation_list, name="operation_list"),
    path("nouvelle/", views.operation_create, name="operation_create"),
    path("<int:pk>/", views.operation_detail, name="operation_detail"),
    path("<int:pk>/modifier/", views.operation_edit, name="operation_edit"),
    path(
        "<int:pk>/indicateurs/<str:code>/<str:scope>/<str:column>/",
        views.indicator_cell,
        name="indicator_cell",
    ),
    path("<int:pk>/participants/", views.participant_list, name="participant_list"),
    path("<int:pk>/participants/nouveau/", views.participant_create, name="participant_create"),
    path("<int:pk>/participants/<int:participant_pk>/", views.participant_detail, name="participant_detail"),
    path("<int:pk>/participants/<int:participant_pk>/modifier/", views.participant_edit, name="participant_edit"),
    path("<int:pk>/participants/import/", views.participant_import, name="participant_import"),
    path("<int:pk>/participants/export.<fmt>", views.participant_export, name="participant_export"),
    path("<int:pk>/rapports/", views.report_create, name="report_create"),
    path("rapports/<int:report_pk>/", views.report_detail, name="report_detail"),
    path("rapports/<int:report_pk>/telecharger/", views.report_download, name="report_download"),
]
