"""Concertation URLs, under `/concertation/` (names under `concertation:`)."""

from django.urls import path

from . import views

app_name = "concertation"

urlpatterns = [
    path("", views.commission_list, name="commission_list"),
    path("nouvelle/", views.commission_create, name="commission_create"),
    path("<int:commission_id>/", views.commission_detail, name="commission_detail"),
    path("<int:commission_id>/modifier/", views.commission_edit, name="commission_edit"),
    path("<int:commission_id>/seances/nouvelle/", views.session_create, name="session_create"),
    path("seances/<int:session_id>/", views.session_detail, name="session_detail"),
    path("seances/<int:session_id>/publier/", views.session_publish, name="session_publish"),
    path("seances/<int:session_id>/releve.pdf", views.session_minutes_pdf, name="session_minutes_pdf"),
    path("seances/<int:session_id>/reinscrire/<int:case_id>/", views.follow_up_schedule, name="follow_up_schedule"),
    path("seances/<int:session_id>/<slug:action>/", views.session_action, name="session_action"),
    path("propositions/", views.proposal_list, name="proposal_list"),
    path("propositions/<int:proposal_id>/accepter/", views.proposal_accept, name="proposal_accept"),
    path("propositions/<int:proposal_id>/decliner/", views.proposal_decline, name="proposal_decline"),
    path("personnes/<int:person_id>/proposer/", views.proposal_create, name="proposal_create"),
    path("situations/<int:case_id>/", views.case_detail, name="case_detail"),
    path("situations/<int:case_id>/decisions/", views.decision_create, name="decision_create"),
    path("taches/", views.task_list, name="task_list"),
    path("taches/<int:decision_id>/", views.task_update, name="task_update"),
]
