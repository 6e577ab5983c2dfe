from django.urls import path

from . import views

app_name = "partenaires"

urlpatterns = [
    path("", views.structure_list, name="structure_list"),
    path("structures/nouvelle/", views.structure_create, name="structure_create"),
    path("structures/<int:pk>/", views.structure_detail, name="structure_detail"),
    path("structures/<int:pk>/modifier/", views.structure_edit, name="structure_edit"),
    path("structures/<int:pk>/services/nouveau/", views.service_edit, name="service_create"),
    path("structures/<int:pk>/services/<int:service_pk>/", views.service_edit, name="service_edit"),
    path("structures/<int:pk>/services/<int:service_pk>/supprimer/", views.service_remove, name="service_delete"),
    path("structures/<int:pk>/contacts/nouveau/", views.contact_edit, name="contact_create"),
    path("structures/<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path("structures/<int:pk>/contacts/<int:contact_pk>/supprimer/", views.contact_remove, name="contact_delete"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/calendrier/", views.action_calendar, name="action_calendar"),
    path("actions/nouvelle/", views.action_edit, name="action_create"),
    path("actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("actions/<int:action_pk>/supprimer/", views.action_remove, name="action_delete"),
    path("actions/lettre/", views.digest_toggle, name="digest_toggle"),
]
urlpatterns += [
    path("data-inclusion/", views.data_inclusion, name="data_inclusion"),
    path("data-inclusion/imports/<int:pk>/", views.import_preview, name="import_preview"),
    path("data-inclusion/imports/<int:pk>/confirmer/", views.import_confirm, name="import_confirm"),
    path("data-inclusion/export/<str:what>.json", views.export_download, name="export"),
]
