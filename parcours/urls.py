from django.urls import include, path

from . import views

app_name = "parcours"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("nouvelle/", views.person_create, name="person_create"),
    path("nouvelle/verification/", views.duplicate_check_request, name="duplicate_check_request"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/modifier/", views.person_edit, name="person_edit"),
    path("<int:pk>/notice/", views.person_notice, name="person_notice"),
    path("<int:pk>/pass-iae/ajouter/", views.pass_iae_create, name="pass_iae_create"),
    path("<int:pk>/pass-iae/<int:pass_iae_id>/prolonger/", views.pass_iae_prolong, name="pass_iae_prolong"),
    path("<int:pk>/demandes-logement/ajouter/", views.housing_request_create, name="housing_request_create"),
    path(
        "<int:pk>/demandes-logement/<int:request_id>/modifier/",
        views.housing_request_update,
        name="housing_request_update",
    ),
    path("<int:pk>/situations/<str:kind>/ajouter/", views.situation_create, name="situation_create"),
    path("<int:pk>/situations/<str:kind>/<int:situation_id>/terminer/", views.situation_close, name="situation_close"),
    path("<int:pk>/evenements/ajouter/", views.event_create, name="event_create"),
    path("<int:pk>/evenements/<int:event_id>/modifier/", views.event_edit, name="event_edit"),
    path("<int:pk>/accompagnements/declarer/", views.followup_declare, name="followup_declare"),
    path("<int:pk>/accompagnements/<int:followup_id>/terminer/", views.followup_end, name="followup_end"),
    path("<int:pk>/consentements/ajouter/", views.consent_create, name="consent_create"),
    path("<int:pk>/consentements/<int:consent_id>/formulaire/", views.consent_document, name="consent_document"),
    path("<int:pk>/orienter/", views.referral_create, name="referral_create"),
    path("orientations/", views.referral_list, name="referral_list"),
    path("orientations/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("orientations/<int:referral_id>/accepter/", views.referral_accept, name="referral_accept"),
    path("orientations/<int:referral_id>/refuser/", views.referral_refuse, name="referral_refuse"),
    path("orientations/<int:referral_id>/annuler/", views.referral_cancel, name="referral_cancel"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("doublons/", views.duplicate_check_list, name="duplicate_check_list"),
    path("", include("parcours.alerts.urls")),
]
