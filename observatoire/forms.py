from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from partenaires.models import PartnerAction, Structure

from .enums import ProposalStatus
from .figures import FIGURE_LABELS, FIGURES
from .models import Proposal

GUIDANCE = _(
    "Écrivez des faits observés, pas de jugement. Pas de diagnostic ni d'information de santé, d'origine, de "
    "religion, d'opinion, de vie sexuelle ou d'infraction. La personne peut demander à lire ce que vous écrivez."
)


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class ProposalForm(forms.ModelForm):
    partners = forms.ModelMultipleChoiceField(
        label=_("Partenaires"),
        queryset=Structure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs. Au moins un pour soumettre."),
    )

    class Meta:
        model = Proposal
        fields = ["title", "need", "target_public", "partners", "resources", "expected_results"]
        widgets = {
            "need": forms.Textarea(attrs={"rows": 4}),
            "target_public": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"need": GUIDANCE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Structure.objects.exclude(kind="FUNDER").order_by("name", "id")
        self.helper = _helper(_("Enregistrer le brouillon"))


class EvidenceForm(forms.Form):
    proposal = forms.ModelChoiceField(label=_("Proposition"), queryset=Proposal.objects.none())
    figure = forms.ChoiceField(label=_("Figure"))

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals
        self.fields["figure"].choices = [(k, FIGURE_LABELS[k]) for k in FIGURES if k != "funder_activity"]
        for name in self.fields:
            self.fields[name].error_messages["invalid_choice"] = _("Valeur inconnue : choisissez dans la liste.")


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Nouveau statut"),
        choices=[
            (s.value, s.label) for s in ProposalStatus if s not in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
        ],
    )
    reason = forms.CharField(
        label=_("Motif ou avis du comité"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer la décision"))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 3}), help_text=GUIDANCE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Commenter"))


class InviteForm(forms.Form):
    action = forms.ModelChoiceField(label=_("Événement"), queryset=PartnerAction.objects.none())

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["action"].error_messages["invalid_choice"] = _("Événement inconnu : choisissez dans la liste.")
