"""URLs of the case file. (Minimal on the alerts branch: the people branch has the full one; merge = add
the alerts include below to it.)"""

from django.urls import include, path

app_name = "parcours"

urlpatterns = [
    path("", include("parcours.alerts.urls")),
]
