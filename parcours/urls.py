from django.urls import path

from .views import caseload, file, plan, referrals, situations

app_name = "parcours"

urlpatterns = [
    path("", caseload.person_list, name="person_list"),
    path("nouvelle/", caseload.person_create, name="person_create"),
    path("nouvelle/verification/", caseload.duplicate_check_request, name="duplicate_check_request"),
    path("<int:pk>/", file.person_detail, name="person_detail"),
    path("<int:pk>/modifier/", file.person_edit, name="person_edit"),
    path("<int:pk>/notice/", file.person_notice, name="person_notice"),
    path("<int:pk>/journal/", file.person_trail, name="person_trail"),
    path("<int:pk>/pass-iae/ajouter/", situations.pass_iae_create, name="pass_iae_create"),
    path("<int:pk>/pass-iae/<int:pass_iae_id>/prolonger/", situations.pass_iae_prolong, name="pass_iae_prolong"),
    path("<int:pk>/demandes-logement/ajouter/", situations.housing_request_create, name="housing_request_create"),
    path(
        "<int:pk>/demandes-logement/<int:request_id>/modifier/",
        situations.housing_request_update,
        name="housing_request_update",
    ),
    path("<int:pk>/situations/<str:kind>/ajouter/", situations.situation_create, name="situation_create"),
    path(
        "<int:pk>/situations/<str:kind>/<int:situation_id>/terminer/",
        situations.situation_close,
        name="situation_close",
    ),
    path("<int:pk>/evenements/ajouter/", file.event_create, name="event_create"),
    path("<int:pk>/evenements/<int:event_id>/modifier/", file.event_edit, name="event_edit"),
    path("<int:pk>/accompagnements/declarer/", file.followup_declare, name="followup_declare"),
    path("<int:pk>/accompagnements/<int:followup_id>/terminer/", file.followup_end, name="followup_end"),
    path("<int:pk>/consentements/ajouter/", file.consent_create, name="consent_create"),
    path("<int:pk>/consentements/<int:consent_id>/formulaire/", file.consent_document, name="consent_document"),
    path("<int:pk>/orienter/", referrals.referral_create, name="referral_create"),
    path("orientations/", referrals.referral_list, name="referral_list"),
    path("orientations/<int:referral_id>/", referrals.referral_detail, name="referral_detail"),
    path("orientations/<int:referral_id>/accepter/", referrals.referral_accept, name="referral_accept"),
    path("orientations/<int:referral_id>/refuser/", referrals.referral_refuse, name="referral_refuse"),
    path("orientations/<int:referral_id>/annuler/", referrals.referral_cancel, name="referral_cancel"),
    path("notifications/", caseload.notification_list, name="notification_list"),
    path("doublons/", caseload.duplicate_check_list, name="duplicate_check_list"),
    # --- the shared action plan, activity, housing requests, households (issue 13) ---
    path("<int:pk>/plan/", plan.person_plan, name="person_plan"),
    path("<int:pk>/plan/pdf/", plan.plan_pdf, name="plan_pdf"),
    path("<int:pk>/plan/objectifs/ajouter/", plan.objective_create, name="objective_create"),
    path("<int:pk>/plan/objectifs/suggestion/", plan.objective_suggest, name="objective_suggest"),
    path("<int:pk>/plan/objectifs/<int:objective_id>/modifier/", plan.objective_edit, name="objective_edit"),
    path("<int:pk>/plan/objectifs/<int:objective_id>/actions/ajouter/", plan.action_create, name="action_create"),
    path("<int:pk>/plan/actions/<int:action_id>/modifier/", plan.action_edit, name="action_edit"),
    path("<int:pk>/activite/", plan.person_activity, name="person_activity"),
    path("<int:pk>/menage/ajouter/", plan.household_member_add, name="household_member_add"),
    path("demandes-logement/<int:request_id>/", plan.housing_request_detail, name="housing_request_detail"),
    path("demandes-logement/<int:request_id>/actualiser/", plan.housing_request_relink, name="housing_request_relink"),
    path("notifications/preferences/", plan.notification_preferences, name="notification_preferences"),
    path("orienter/", plan.referral_start, name="referral_create"),
]
