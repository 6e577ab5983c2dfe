from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from parcours.forms import FREE_TEXT_GUIDANCE, DateInput, DateTimeInput
from partenaires.models import Structure

from .enums import DecisionKind, MemberRole, PresentationMode, TaskStatus
from .models import Commission, Session


def _helper(submit_label, action: str = "") -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    if action:
        helper.form_action = action
    helper.add_input(Submit("submit", submit_label))
    return helper


class CommissionForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Structures membres permanents"), queryset=Structure.objects.none(), required=False
    )
    invited = forms.ModelMultipleChoiceField(
        label=_("Structures invitées"), queryset=Structure.objects.none(), required=False
    )
    coordinators = forms.ModelMultipleChoiceField(
        label=_("Coordinateur·rices qui l'animent"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = Commission
        fields = ["name", "kind", "territory", "rhythm"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        structures = Structure.objects.order_by("name")
        self.fields["members"].queryset = structures
        self.fields["invited"].queryset = structures
        self.fields["coordinators"].queryset = (
            User.objects.filter(memberships__role=Role.COORDINATOR, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "id")
        )
        if self.instance.pk:
            rows = list(self.instance.members.values_list("structure_id", "role"))
            self.initial["members"] = [s for s, role in rows if role == MemberRole.MEMBER]
            self.initial["invited"] = [s for s, role in rows if role == MemberRole.INVITED]
            self.initial["coordinators"] = list(self.instance.coordinators.values_list("pk", flat=True))
        self.helper = _helper(_("Enregistrer la commission"))

    def clean(self):
        data = super().clean()
        if set(data.get("members") or []) & set(data.get("invited") or []):
            raise forms.ValidationError(_("Une structure ne peut pas être à la fois membre permanent et invitée."))
        return data


class SessionForm(forms.ModelForm):
    video_link = forms.URLField(label=_("Lien de visioconférence"), required=False, assume_scheme="https")

    class Meta:
        model = Session
        fields = ["starts_at", "place", "video_link"]
        widgets = {"starts_at": DateTimeInput()}

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.helper = _helper(_("Planifier la séance"), action)

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_link"):
            raise forms.ValidationError(_("Indiquez un lieu ou un lien de visioconférence."))
        return data


class ProposalForm(forms.Form):
    presentation = forms.CharField(
        label=_("Présentation courte de la situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=FREE_TEXT_GUIDANCE,
        max_length=3000,
    )
    question = forms.CharField(
        label=_("Question posée à la commission"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Proposer en commission"))


class AcceptForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Séance"), queryset=Session.objects.none())
    mode = forms.ChoiceField(
        label=_("Présentation"),
        choices=PresentationMode.choices,
        initial=PresentationMode.NOMINATIVE,
        help_text=_(
            "Nominative seulement avec l'accord « présentation nominative en commission » ou "
            "« partage avec l'équipe de coordination » en vigueur ; sinon la situation reste anonyme."
        ),
    )

    def __init__(self, *args, sessions=None, prefix_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions if sessions is not None else Session.objects.none()
        self.fields["session"].label_from_instance = lambda s: f"{s.commission.name} — {s.starts_at:%d/%m/%Y %H:%M}"


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, help_text=FREE_TEXT_GUIDANCE
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de décision"), choices=DecisionKind.choices)
    text = forms.CharField(label=_("Décision"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    owner_structure = forms.ModelChoiceField(
        label=_("Structure responsable"), queryset=Structure.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DateInput())

    def __init__(self, *args, structures=None, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_structure"].queryset = structures if structures is not None else Structure.objects.none()
        self.fields["owner_structure"].help_text = _(
            "Avec une structure responsable et une échéance, la décision devient une tâche de cette structure."
        )
        self.helper = _helper(_("Enregistrer la décision"), action)


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[(TaskStatus.DONE, TaskStatus.DONE.label), (TaskStatus.NOT_POSSIBLE, TaskStatus.NOT_POSSIBLE.label)],
    )
    reason = forms.CharField(
        label=_("Motif (si pas possible)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == TaskStatus.NOT_POSSIBLE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez pourquoi ce n'est pas possible."))
        return data
