"""Alert URLs, under `/personnes/alertes/` (names under `alerts:`)."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alertes/", views.alert_list, name="alert_list"),
    path("alertes/prendre-en-compte/", views.alert_bulk_acknowledge, name="alert_bulk_acknowledge"),
    path("alertes/reglages/", views.alert_settings, name="alert_settings"),
    path("alertes/tableau-de-bord/", views.alert_dashboard, name="alert_dashboard"),
    path("alertes/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alertes/<int:pk>/<slug:action>/", views.alert_action, name="alert_action"),
]
