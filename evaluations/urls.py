from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("cohorte/", views.cohort, name="cohort"),
    path("personnes/<int:person_id>/", views.person_evaluations, name="person_evaluations"),
    path("personnes/<int:person_id>/nouvelle/", views.evaluation_start, name="evaluation_start"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/modifier/<str:section>/", views.evaluation_edit, name="evaluation_edit"),
    path("<int:pk>/finaliser/", views.evaluation_finalise, name="evaluation_finalise"),
    path("<int:pk>/comparer/", views.evaluation_compare, name="evaluation_compare"),
    path("<int:pk>/pdf/", views.evaluation_pdf, name="evaluation_pdf"),
]
