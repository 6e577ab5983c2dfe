from django.urls import path

from . import views

app_name = "dpo"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("journal/", views.audit_search, name="audit_search"),
    path("reglages/", views.settings_update, name="settings_update"),
    path("acces-exceptionnel/", views.break_glass, name="break_glass"),
    path("demandes/nouvelle/", views.request_create, name="request_create"),
    path("demandes/<int:request_id>/", views.request_detail, name="request_detail"),
    path("demandes/<int:request_id>/prolonger/", views.request_extend, name="request_extend"),
    path("demandes/<int:request_id>/clore/", views.request_answer, name="request_answer"),
    path("demandes/<int:request_id>/export/", views.request_export, name="request_export"),
    path("demandes/<int:request_id>/export/<int:export_id>/<str:fmt>/", views.export_download, name="export_download"),
    path("demandes/<int:request_id>/rectifier/", views.request_rectify, name="request_rectify"),
    path("demandes/<int:request_id>/opposition/", views.request_objection, name="request_objection"),
    path("demandes/<int:request_id>/limitation/", views.request_restrict, name="request_restrict"),
    path("demandes/<int:request_id>/effacer/", views.request_erase, name="request_erase"),
    path("demandes/<int:request_id>/conservation/", views.request_hold, name="request_hold"),
]
