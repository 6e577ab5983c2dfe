from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import LoginForm
from accounts.views import set_language
from coordination import auth_views as audited_auth_views
from coordination import views

auth_urlpatterns = [
    path(
        "comptes/connexion/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("comptes/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("comptes/mot-de-passe/", audited_auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("comptes/mot-de-passe/change/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("comptes/mot-de-passe-oublie/", audited_auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "comptes/mot-de-passe-oublie/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "comptes/reinitialiser/<uidb64>/<token>/",
        audited_auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "comptes/reinitialiser/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    path("structure-active/", views.switch_membership, name="switch_membership"),
    path("langue/", set_language, name="set_language"),
    *auth_urlpatterns,
    path("annuaire/", include("partenaires.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("admin/", admin.site.urls),
    path("personnes/", include("parcours.urls")),
    path("personnes/", include("alerts.urls")),
    path("fse/", include("fse.urls")),
    # accounts: "Sécurité du compte" and the second factor
    path("comptes/securite/", include("accounts.urls")),
    # dpo: the DPO's dashboard, break-glass and rights requests
    path("dpo/", include("dpo.urls")),
    # concertation (issue 12)
    path("concertation/", include("concertation.urls")),
    # observatoire: dashboards, partnership matrix, unmet needs, interconnaissance, PTI proposals
    path("observatoire/", include("observatoire.urls")),
]
