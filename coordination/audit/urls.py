from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("personnes/<int:person_id>/", views.person_trail, name="person_trail"),
]
