from django.urls import path

from . import views

app_name = "observatoire"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("partenariats/", views.partnership_matrix, name="partnership_matrix"),
    path("partenariats/<int:from_id>/<int:to_id>/", views.matrix_referrals, name="matrix_referrals"),
    path("besoins-non-couverts/", views.unmet_needs, name="unmet_needs"),
    path("export/<str:figure>/<str:fmt>/", views.export, name="export"),
    path("interconnaissance/", views.interconnaissance, name="interconnaissance"),
    path("interconnaissance/inviter/", views.invite_pairs, name="invite_pairs"),
    path("evenements/<int:pk>/", views.event_detail, name="event_detail"),
    path("propositions/", views.proposal_list, name="proposal_list"),
    path("propositions/nouvelle/", views.proposal_create, name="proposal_create"),
    path("propositions/preuve/", views.evidence_add, name="evidence_add"),
    path("propositions/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("propositions/<int:pk>/modifier/", views.proposal_edit, name="proposal_edit"),
    path("propositions/<int:pk>/soumettre/", views.proposal_submit, name="proposal_submit"),
    path("propositions/<int:pk>/statut/", views.proposal_status, name="proposal_status"),
    path("propositions/<int:pk>/commentaires/", views.proposal_comment, name="proposal_comment"),
    path("propositions/<int:pk>/note.pdf", views.proposal_pdf, name="proposal_pdf"),
]
