from django.urls import path

from . import views_mfa

app_name = "accounts"

urlpatterns = [
    path("", views_mfa.security, name="security"),
    path("deux-etapes/configurer/", views_mfa.mfa_setup, name="mfa_setup"),
    path("deux-etapes/verifier/", views_mfa.mfa_verify, name="mfa_verify"),
    path("deux-etapes/codes-de-secours/", views_mfa.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("deux-etapes/desactiver/", views_mfa.mfa_disable, name="mfa_disable"),
]
