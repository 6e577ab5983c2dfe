from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from partenaires.models import Structure

from .enums import AlertRule, AlertStatus, DismissReason
from .models import AlertSettings

STATUS_FILTERS = [("open", _("Ouvertes (à traiter ou prises en compte)")), *AlertStatus.choices, ("all", _("Toutes"))]
SCOPES = [("mine", _("Mes alertes")), ("all", _("Toutes les alertes que je peux voir"))]


class OutlineSubmit(Submit):
    """A secondary submit button: Submit's own `btn-primary` plus an outline class made it blue on blue."""

    field_classes = "btn btn-outline-primary"


class DangerOutlineSubmit(Submit):
    field_classes = "btn btn-outline-danger"


class AlertFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Alertes"), choices=SCOPES, required=False)
    rule = forms.ChoiceField(label=_("Règle"), choices=[("", _("Toutes"))] + AlertRule.choices, required=False)
    structure = forms.ModelChoiceField(
        label=_("Structure"), queryset=Structure.objects.none(), required=False, empty_label=_("Toutes")
    )
    status = forms.ChoiceField(label=_("Statut"), choices=STATUS_FILTERS, required=False)

    def __init__(self, *args, structures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures if structures is not None else Structure.objects.none()
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-lg-auto g-2 align-items-end"
        self.helper.disable_csrf = True
        self.helper.add_input(OutlineSubmit("filtrer", _("Filtrer")))


class AlertNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AlertDismissForm(forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=[("", "—")] + DismissReason.choices)
    note = forms.CharField(
        label=_("Précision"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Choisissez pourquoi l'alerte est écartée.")
        self.helper = FormHelper()
        self.helper.add_input(DangerOutlineSubmit("ecarter", _("Écarter l'alerte")))

    def clean(self):
        data = super().clean()
        if data.get("reason") == DismissReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Précisez le motif « Autre »."))
        return data


class AlertSettingsForm(forms.ModelForm):
    class Meta:
        model = AlertSettings
        fields = [f.name for f in AlertSettings._meta.concrete_fields if f.name != "id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(
                {
                    "required": _("Ce champ est obligatoire."),
                    "invalid": _("Saisissez un nombre entier."),
                    "min_value": _("Indiquez une valeur d'au moins 1."),
                    "max_value": _("Indiquez une valeur plus petite."),
                }
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("", _("Enregistrer les réglages")))
