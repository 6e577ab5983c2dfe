import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outbox.forms import SubmissionKeyMixin
from partenaires.models import Service, Structure

from .enums import (
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
    EmploymentStatus,
    EventKind,
    EventStatus,
    FollowUpEndReason,
    FollowUpKind,
    HouseholdType,
    HousingGroup,
    RefusalReason,
    SharingBasis,
)
from .models import (
    MAX_AGE_YEARS,
    EmploymentSituation,
    Event,
    HousingRequest,
    HousingSituation,
    PassIae,
    Person,
    Resource,
)

FREE_TEXT_GUIDANCE = _(
    "Écrivez des faits observés, pas de jugement. Pas de diagnostic ni d'information de santé, d'origine, de "
    "religion, d'opinion, de vie sexuelle ou d'infraction. La personne peut demander à lire ce que vous écrivez."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _helper(submit_label, form_tag=True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.form_method = "post"
    if submit_label:
        helper.add_input(Submit("submit", submit_label))
    return helper


def _check_birth_date(value: dt.date) -> dt.date:
    today = timezone.localdate()
    if value > today:
        raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."))
    if value < today.replace(year=today.year - MAX_AGE_YEARS):
        raise forms.ValidationError(
            _("Cette date donnerait plus de %(age)s ans : vérifiez-la.") % {"age": MAX_AGE_YEARS}
        )
    return value


class PersonIdentityForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "birth_date",
            "gender",
            "nationality_category",
            "phone",
            "email",
            "commune_insee",
        ]
        widgets = {"birth_date": DateInput()}

    def clean_birth_date(self):
        return _check_birth_date(self.cleaned_data["birth_date"])

    def clean_commune_insee(self):
        value = self.cleaned_data["commune_insee"].strip().upper()
        if value and (len(value) != 5 or not value.replace("A", "0").replace("B", "0").isdigit()):
            raise forms.ValidationError(_("Le code INSEE a 5 caractères, par exemple 38185 ou 2A004."))
        return value


class PersonCreateForm(SubmissionKeyMixin, PersonIdentityForm):
    kind = forms.ChoiceField(label=_("Votre accompagnement"), choices=FollowUpKind.choices)
    sharing_basis = forms.ChoiceField(
        label=_("Base du partage"),
        choices=[("", _("Selon le type d'accompagnement")), *SharingBasis.choices],
        required=False,
    )
    household_type = forms.ChoiceField(
        label=_("Composition familiale"), choices=[("", "—"), *HouseholdType.choices], required=False
    )
    dependent_children = forms.IntegerField(label=_("Enfants à charge"), min_value=0, max_value=20, initial=0)

    class Meta(PersonIdentityForm.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(None, form_tag=False)


class PersonEditForm(PersonIdentityForm):
    class Meta(PersonIdentityForm.Meta):
        fields = [
            *PersonIdentityForm.Meta.fields,
            "residence_right",
            "permit_end_on",
            "permit_renewal_filed_on",
            "work_allowed",
            "ft_registered_since",
            "qpv_resident",
            "notice_given_on",
        ]
        widgets = {
            "birth_date": DateInput(),
            "permit_end_on": DateInput(),
            "permit_renewal_filed_on": DateInput(),
            "ft_registered_since": DateInput(),
            "notice_given_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer"))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Nom ou prénom"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Rechercher"))


SORTS = {
    "nom": ("last_name", "first_name", "id"),
    "-nom": ("-last_name", "-first_name", "-id"),
    "contact": ("last_contact_at", "id"),
    "-contact": ("-last_contact_at", "-id"),
    "naissance": ("birth_date", "id"),
}


class CaseloadFilterForm(forms.Form):
    vue = forms.ChoiceField(
        label=_("Personnes"),
        choices=[
            ("moi", _("Dont je suis référent·e")),
            ("structure", _("Suivies par ma structure")),
            ("tous", _("Toutes celles que je peux voir")),
        ],
        required=False,
    )
    structure = forms.TypedChoiceField(label=_("Structure"), coerce=int, required=False, empty_value=None)
    referent = forms.TypedChoiceField(label=_("Référent·e"), coerce=int, required=False, empty_value=None)
    hebergement = forms.ChoiceField(
        label=_("Hébergement"), choices=[("", _("Toutes"))] + list(HousingGroup.choices), required=False
    )
    emploi = forms.ChoiceField(
        label=_("Emploi"), choices=[("", _("Toutes"))] + list(EmploymentStatus.choices), required=False
    )
    tri = forms.ChoiceField(
        label=_("Trier par"),
        choices=[
            ("nom", _("Nom (A → Z)")),
            ("-nom", _("Nom (Z → A)")),
            ("-contact", _("Contact le plus récent")),
            ("contact", _("Contact le plus ancien")),
            ("naissance", _("Âge (du plus âgé)")),
        ],
        required=False,
    )

    def __init__(self, *args, structures=(), referents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].choices = [("", _("Toutes mes structures"))] + [(s.pk, s.name) for s in structures]
        self.fields["referent"].choices = [("", _("Tous"))] + [(u.pk, str(u)) for u in referents]
        # Plain Bootstrap markup (no crispy): this form is on the busiest page and has no error to show.
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


class HousingSituationForm(forms.ModelForm):
    class Meta:
        model = HousingSituation
        fields = ["residential_status", "structure", "started_on", "planned_end_on"]
        widgets = {"started_on": DateInput(), "planned_end_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.order_by("name", "id")
        self.fields["structure"].required = False
        self.helper = _helper(_("Enregistrer la situation"))


class EmploymentSituationForm(forms.ModelForm):
    class Meta:
        model = EmploymentSituation
        fields = [
            "situation",
            "contract_type",
            "working_time",
            "employer_name",
            "workplace_commune_insee",
            "staggered_hours",
            "started_on",
            "planned_end_on",
        ]
        widgets = {"started_on": DateInput(), "planned_end_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer la situation"))


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["kind", "monthly_amount", "started_on", "expected_end_on"]
        widgets = {"started_on": DateInput(), "expected_end_on": DateInput()}

    def __init__(self, *args, hidden_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] not in hidden_kinds]
        self.helper = _helper(_("Enregistrer la ressource"))


class PassIaeForm(forms.ModelForm):
    # Wider than the 12 stored digits: people type the number with spaces ("9999 9000 0001").
    number = forms.CharField(label=_("numéro de PASS IAE"), max_length=20, help_text=_("12 chiffres."))

    class Meta:
        model = PassIae
        fields = ["number", "start_on", "end_on"]
        widgets = {"start_on": DateInput(), "end_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer le PASS IAE"))

    def clean_number(self):
        number = "".join(self.cleaned_data["number"].split())
        if not number.isdigit() or len(number) != 12:
            raise forms.ValidationError(_("Le numéro de PASS IAE compte 12 chiffres."))
        return number


class PassIaeProlongForm(forms.ModelForm):
    class Meta:
        model = PassIae
        fields = ["end_on"]
        labels = {"end_on": _("Nouvelle date de fin")}
        widgets = {"end_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer la nouvelle fin"))


class HousingRequestForm(forms.ModelForm):
    class Meta:
        model = HousingRequest
        fields = ["kind", "reference", "filed_on", "renewal_due_on", "status"]
        widgets = {"filed_on": DateInput(), "renewal_due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer la demande"))


class HousingRequestUpdateForm(forms.ModelForm):
    class Meta:
        model = HousingRequest
        fields = ["status", "renewal_due_on"]
        widgets = {"renewal_due_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer"))


class CloseSituationForm(forms.Form):
    ended_on = forms.DateField(label=_("Date de fin"), widget=DateInput())
    end_reason = forms.ChoiceField(label=_("Motif de fin"), required=False)

    def __init__(self, *args, reasons=(), destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_reason"].choices = [("", "—"), *reasons]
        if not reasons:
            del self.fields["end_reason"]
        if destinations:
            # An exit from a shelter or housing: where the person goes (told to the partners, issue 13).
            self.fields["exit_destination"] = forms.ChoiceField(
                label=_("Destination à la sortie"), choices=[("", "—"), *destinations], required=False
            )
        self.helper = _helper(_("Terminer"))


class EventForm(SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = ["kind", "at", "status", "with_whom", "with_person", "visibility", "text"]
        widgets = {"at": DateTimeInput(), "text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "text": FREE_TEXT_GUIDANCE,
            "status": _("Pour un rendez-vous seulement."),
            "with_person": _("Décochez pour un appel à un tiers (il ne compte pas comme contact)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.helper = _helper(_("Enregistrer"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == EventKind.APPOINTMENT and not data.get("status"):
            self.add_error("status", _("Indiquez le statut du rendez-vous."))
        if data.get("kind") != EventKind.APPOINTMENT:
            data["status"] = ""
        at = data.get("at")
        if at and at > timezone.now() + dt.timedelta(days=366):
            self.add_error("at", _("La date est trop loin dans le futur."))
        if at and data.get("kind") != EventKind.APPOINTMENT and at > timezone.now() + dt.timedelta(minutes=5):
            self.add_error("at", _("Seul un rendez-vous peut être daté dans le futur."))
        if (
            data.get("kind") == EventKind.APPOINTMENT
            and data.get("status")
            in (
                EventStatus.HONOURED,
                EventStatus.MISSED,
            )
            and at
            and at > timezone.now() + dt.timedelta(minutes=5)
        ):
            self.add_error("status", _("Un rendez-vous futur ne peut pas encore être honoré ou manqué."))
        return data


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("Portée"), choices=ConsentScope.choices)
    decision = forms.ChoiceField(label=_("Décision"), choices=ConsentDecision.choices)
    decided_on = forms.DateField(label=_("Date de la décision"), widget=DateInput())
    method = forms.ChoiceField(label=_("Mode de recueil"), choices=ConsentMethod.choices)
    document = forms.FileField(label=_("Formulaire signé (PDF, facultatif)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        self.helper = _helper(_("Enregistrer la décision"))
        self.helper.form_enctype = "multipart/form-data"

    def clean_decided_on(self):
        value = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date de la décision ne peut pas être dans le futur."))
        return value

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            if document.size > 5 * 1024 * 1024:
                raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
            if not document.read(5).startswith(b"%PDF"):
                raise forms.ValidationError(_("Le formulaire doit être un fichier PDF."))
            document.seek(0)
        return document


class ReferralForm(SubmissionKeyMixin, forms.Form):
    to_structure = forms.ModelChoiceField(
        label=_("Structure destinataire"),
        queryset=Structure.objects.none(),
        error_messages={"invalid_choice": _("Cette structure n'existe pas ou ne peut pas recevoir d'orientation.")},
    )
    to_service = forms.ModelChoiceField(
        label=_("Service de l'annuaire (facultatif)"),
        queryset=Service.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Ce service n'existe pas.")},
    )
    kind = forms.ChoiceField(label=_("Accompagnement demandé"), choices=FollowUpKind.choices)
    motive = forms.CharField(
        label=_("Motif de l'orientation"), widget=forms.Textarea(attrs={"rows": 4}), help_text=FREE_TEXT_GUIDANCE
    )
    from_structure = forms.TypedChoiceField(label=_("Au nom de"), coerce=int)

    def __init__(self, *args, from_structures=(), **kwargs):
        super().__init__(*args, **kwargs)
        from_ids = [s.pk for s in from_structures]
        self.fields["to_structure"].queryset = (
            Structure.objects.exclude(pk__in=from_ids).exclude(kind__in=["FUNDER", "COORDINATION"]).order_by("name")
        )
        # Only the services of the chosen structure (from the submitted data, else the pre-filled choice).
        chosen = self.data.get("to_structure") if self.is_bound else self.initial.get("to_structure")
        chosen = getattr(chosen, "pk", chosen)
        try:
            chosen = int(chosen) if chosen not in (None, "") else None
        except (TypeError, ValueError):
            chosen = None
        self.fields["to_service"].queryset = (
            Service.objects.filter(structure__in=self.fields["to_structure"].queryset, structure_id=chosen)
            .select_related("structure")
            .order_by("structure__name", "name", "id")
        )
        if chosen is not None:
            self.fields["to_service"].error_messages["invalid_choice"] = _(
                "Ce service n'appartient pas à la structure destinataire."
            )
        else:
            self.fields["to_service"].help_text = _(
                "Choisissez d'abord la structure : ses services seront proposés (bouton « Orienter » de l'annuaire)."
            )
        self.fields["to_service"].label_from_instance = lambda service: f"{service.structure.name} — {service.name}"
        self.fields["from_structure"].choices = [(s.pk, s.name) for s in from_structures]
        if len(from_structures) == 1:
            self.fields["from_structure"].widget = forms.HiddenInput()
            self.fields["from_structure"].initial = from_structures[0].pk
        self.helper = _helper(_("Envoyer l'orientation"))

    def clean(self):
        data = super().clean()
        service, structure = data.get("to_service"), data.get("to_structure")
        if service and structure and service.structure_id != structure.pk:
            self.add_error("to_service", _("Ce service n'appartient pas à la structure destinataire."))
        return data


class RefusalForm(forms.Form):
    refusal_reason = forms.ChoiceField(label=_("Motif du refus"), choices=[("", "—"), *RefusalReason.choices])
    refusal_detail = forms.CharField(
        label=_("Précision"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=FREE_TEXT_GUIDANCE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Refuser l'orientation"))

    def clean(self):
        data = super().clean()
        if data.get("refusal_reason") == RefusalReason.OTHER and not (data.get("refusal_detail") or "").strip():
            self.add_error("refusal_detail", _("Précisez le motif « Autre »."))
        return data


class FollowUpDeclareForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'accompagnement"), choices=FollowUpKind.choices)
    sharing_basis = forms.ChoiceField(label=_("Base du partage"), choices=SharingBasis.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Déclarer l'accompagnement"))


class FollowUpEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Date de fin"), widget=DateInput())
    end_reason = forms.ChoiceField(label=_("Motif de fin"), choices=[("", "—"), *FollowUpEndReason.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        self.helper = _helper(_("Terminer l'accompagnement"))

    def clean_ended_on(self):
        value = self.cleaned_data["ended_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La fin effective ne peut pas être dans le futur."))
        return value


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire (facultatif)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- the shared action plan (issue 13) ----------------------------------------------------------------
class _LockedForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput(), min_value=0)


def _plan_theme_choices(health: bool):
    from .enums import PlanTheme

    return [(c, label) for c, label in PlanTheme.choices if health or c != PlanTheme.HEALTH]


class ObjectiveForm(forms.Form):
    theme = forms.ChoiceField(label=_("Thème"))
    statement = forms.CharField(label=_("Objectif"), max_length=300, help_text=FREE_TEXT_GUIDANCE)
    target_on = forms.DateField(label=_("Échéance visée"), required=False, widget=DateInput())
    structures = forms.ModelMultipleChoiceField(
        label=_("Structures impliquées"),
        queryset=Structure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    concerns_household = forms.BooleanField(label=_("Concerne tout le ménage"), required=False)

    def __init__(self, *args, health=False, structures=None, has_household=False, submit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = _plan_theme_choices(health)
        self.fields["structures"].queryset = structures if structures is not None else Structure.objects.none()
        if not has_household:
            del self.fields["concerns_household"]
        self.helper = _helper(submit or _("Ajouter l'objectif"))


class ObjectiveEditForm(ObjectiveForm, _LockedForm):
    status = forms.ChoiceField(label=_("Statut"))
    abandon_reason = forms.CharField(
        label=_("Motif de l'abandon"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=FREE_TEXT_GUIDANCE,
    )

    def __init__(self, *args, **kwargs):
        from .enums import ObjectiveStatus

        super().__init__(*args, submit=_("Enregistrer l'objectif"), **kwargs)
        self.fields["status"].choices = ObjectiveStatus.choices

    def clean(self):
        data = super().clean()
        if data.get("status") == "ABANDONED" and not (data.get("abandon_reason") or "").strip():
            self.add_error("abandon_reason", _("Indiquez le motif de l'abandon."))
        return data


NOT_FOLLOWING = _("Cette structure n'accompagne pas la personne : orientez d'abord la personne vers elle.")


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300, help_text=FREE_TEXT_GUIDANCE)
    owner_structure = forms.ModelChoiceField(
        label=_("Structure qui porte l'action"),
        queryset=Structure.objects.none(),
        error_messages={"invalid_choice": NOT_FOLLOWING},
    )
    referent = forms.ModelChoiceField(label=_("Référent·e"), queryset=None, required=False)
    due_on = forms.DateField(label=_("À réaliser avant le"), widget=DateInput())

    def __init__(self, *args, structures=None, submit=None, **kwargs):
        from accounts.models import User

        super().__init__(*args, **kwargs)
        structures = structures if structures is not None else Structure.objects.none()
        self.fields["owner_structure"].queryset = structures
        self.fields["referent"].queryset = (
            User.objects.filter(memberships__structure__in=structures, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "id")
        )
        self.fields["referent"].label_from_instance = lambda user: user.get_full_name() or user.email
        self.helper = _helper(submit or _("Ajouter l'action"))


class ActionEditForm(ActionForm, _LockedForm):
    status = forms.ChoiceField(label=_("Statut"))
    outcome = forms.CharField(
        label=_("Résultat"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=FREE_TEXT_GUIDANCE
    )
    not_done_reason = forms.CharField(
        label=_("Motif de la non-réalisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=FREE_TEXT_GUIDANCE,
    )

    def __init__(self, *args, **kwargs):
        from .enums import ActionStatus

        super().__init__(*args, submit=_("Enregistrer l'action"), **kwargs)
        self.fields["status"].choices = ActionStatus.choices

    def clean(self):
        data = super().clean()
        if data.get("status") == "NOT_DONE" and not (data.get("not_done_reason") or "").strip():
            self.add_error("not_done_reason", _("Indiquez pourquoi l'action n'a pas été réalisée."))
        return data


class NotificationPreferencesForm(forms.Form):
    def __init__(self, *args, current: dict, **kwargs):
        from .enums import ActivityKind, Delivery

        super().__init__(*args, **kwargs)
        for kind, label in ActivityKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Delivery.choices, initial=current.get(kind), widget=forms.RadioSelect
            )
        self.helper = _helper(_("Enregistrer mes préférences"))


class ReferralStartForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Personne à orienter"),
        queryset=Person.objects.none(),
        error_messages={"invalid_choice": _("Choisissez une personne que vous accompagnez.")},
    )
    structure = forms.IntegerField(widget=forms.HiddenInput(), required=False)
    service = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.fields["person"].label_from_instance = lambda p: f"{p.display_name} ({p.birth_date:%d/%m/%Y})"
        self.helper = _helper(_("Continuer"))


class HouseholdMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle dans le ménage"))
    member = forms.ModelChoiceField(
        label=_("Personne suivie"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Une personne dont vous pouvez modifier le dossier."),
    )
    child_age = forms.IntegerField(
        label=_("ou : âge de l'enfant (sans dossier)"), required=False, min_value=0, max_value=25
    )

    def __init__(self, *args, people=None, **kwargs):
        from .enums import HouseholdRole

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [c for c in HouseholdRole.choices if c[0] != HouseholdRole.HEAD]
        self.fields["member"].queryset = people if people is not None else Person.objects.none()
        self.fields["member"].label_from_instance = lambda p: f"{p.display_name} ({p.birth_date:%d/%m/%Y})"
        self.helper = _helper(_("Ajouter au ménage"))

    def clean(self):
        data = super().clean()
        if (data.get("member") is None) == (data.get("child_age") is None):
            raise forms.ValidationError(
                _("Choisissez une personne suivie, ou indiquez l'âge d'un enfant sans dossier.")
            )
        return data
