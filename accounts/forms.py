from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Membership


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        # Same message whether the account exists or not.
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez."),
        "inactive": _("Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez."),
    }


class MembershipSwitchForm(forms.Form):
    membership = forms.ModelChoiceField(queryset=Membership.objects.none(), label=_("Structure active"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(user=user)
