from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from parcours.enums import ConsentMethod
from parcours.models import BREAK_GLASS_MIN_REASON, RightsRequestKind, RightsRequestStatus
from partenaires.models import Structure

from .models import RetentionSettings

GUIDANCE = _(
    "Écrivez des faits observés, pas de jugement. Pas de diagnostic ni d'information de santé, d'origine, de "
    "religion, d'opinion, de vie sexuelle ou d'infraction. La personne peut demander à lire ce que vous écrivez."
)


class _Form(forms.Form):
    submit_label = _("Enregistrer")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class AuditSearchForm(forms.Form):
    person_id = forms.IntegerField(label=_("Personne n°"), required=False, min_value=1)
    user = forms.ModelChoiceField(label=_("Compte"), queryset=User.objects.order_by("email"), required=False)
    start = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("submit", _("Rechercher")))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("La date de fin doit suivre la date de début."))
        return data


class BreakGlassForm(_Form):
    submit_label = _("Ouvrir en lecture seule pour 60 minutes")
    person_id = forms.IntegerField(label=_("Personne n°"), min_value=1)
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=BREAK_GLASS_MIN_REASON,
        max_length=1000,
        help_text=_("%(count)s caractères au moins. Le motif est lu par le DPO.") % {"count": BREAK_GLASS_MIN_REASON},
        error_messages={"min_length": _("Expliquez le motif en %(limit_value)d caractères au moins.")},
    )


class RightsRequestForm(_Form):
    person_id = forms.IntegerField(label=_("Personne n°"), min_value=1)
    kind = forms.ChoiceField(label=_("Droit exercé"), choices=RightsRequestKind.choices)
    received_on = forms.DateField(label=_("Reçue le"), widget=forms.DateInput(attrs={"type": "date"}))


class ExtensionForm(_Form):
    submit_label = _("Prolonger")
    extended_to = forms.DateField(label=_("Nouvelle échéance"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Motif communiqué à la personne"), max_length=300)


class AnswerForm(_Form):
    submit_label = _("Clore la demande")
    status = forms.ChoiceField(
        label=_("Réponse"), choices=[c for c in RightsRequestStatus.choices if c[0] != RightsRequestStatus.OPEN]
    )


class RectificationForm(_Form):
    submit_label = _("Rectifier")
    evaluation_id = forms.IntegerField(label=_("Évaluation n°"), min_value=1)
    field_name = forms.ChoiceField(label=_("Champ"))
    value = forms.CharField(label=_("Nouvelle valeur"), required=False, max_length=2000)
    reason = forms.CharField(
        label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500, help_text=GUIDANCE
    )

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_name"].choices = fields


class ObjectionForm(_Form):
    submit_label = _("Enregistrer l'opposition")
    target_structure = forms.ModelChoiceField(
        label=_("Structure visée"),
        queryset=Structure.objects.order_by("name"),
        required=False,
        empty_label=_("Toutes les structures"),
    )
    recorded_on = forms.DateField(label=_("Exprimée le"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Mode de recueil"), choices=ConsentMethod.choices)


class LegalHoldForm(_Form):
    until = forms.DateField(
        label=_("Conserver jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Vide : lever la conservation prolongée."),
    )
    reason = forms.CharField(label=_("Motif"), required=False, max_length=200)


class RetentionSettingsForm(forms.ModelForm):
    class Meta:
        model = RetentionSettings
        fields = [
            "retention_months",
            "warning_days",
            "archive_months",
            "export_expiry_days",
            "account_inactive_months",
            "audit_retention_months",
            "bulk_access_threshold",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Enregistrer les réglages")))
