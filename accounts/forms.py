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


class OTPCodeForm(forms.Form):
    """A second-factor code: the 6 digits of the authenticator application, or a recovery code."""

    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=20,
        help_text=_("Les 6 chiffres affichés par votre application d'authentification, ou un code de secours."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if "\x00" in code:
            raise forms.ValidationError(_("Saisissez le code sans caractères spéciaux."))
        return code
