from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from . import referentials as ref
from .enums import EventKind, HousingOffer, StructureKind
from .models import Contact, PartnerAction, Service, Structure


def _helper(submit_label, method="post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.add_input(Submit("submit", submit_label))
    return helper


def _multiple(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=help_text or _("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )


# --- search ----------------------------------------------------------------------------------------
class StructureSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=200,
        help_text=_("Nom, sigle, activité, service… (sans tenir compte des accents ni des majuscules)"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=_("Type de structure"), required=False)
    thematique = forms.ChoiceField(label=_("Thématique"), required=False)
    public = forms.ChoiceField(label=_("Public"), required=False)
    place = forms.CharField(label=_("Commune ou territoire"), required=False, max_length=120)
    members = forms.BooleanField(label=_("Membres de la coordination seulement"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Tous"))]
        self.fields["kind"].choices = everything + list(StructureKind.choices)
        self.fields["thematique"].choices = [("", _("Toutes"))] + ref.THEMATIQUE_CHOICES
        self.fields["public"].choices = everything + ref.PUBLIC_CHOICES
        # The page's own <form> carries the buttons (and the htmx attributes).
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("kind"):
            queryset = queryset.of_kind(data["kind"])
        if data.get("thematique"):
            queryset = queryset.with_thematique(data["thematique"])
        if data.get("public"):
            queryset = queryset.for_public(data["public"])
        if data.get("place"):
            queryset = queryset.in_place(data["place"])
        if data.get("members"):
            queryset = queryset.members()
        return queryset


# --- editing ---------------------------------------------------------------------------------------
class StructureForm(forms.ModelForm):
    publics = _multiple(_("Publics accueillis"), ref.PUBLIC_CHOICES)
    reseaux_porteurs = _multiple(_("Réseaux porteurs (data·inclusion)"), ref.RESEAU_PORTEUR_CHOICES)
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https", max_length=200)
    housing_offers = forms.MultipleChoiceField(
        label=_("Offres d'hébergement et de logement"),
        choices=HousingOffer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Structure
        fields = [
            "name",
            "acronym",
            "kind",
            "siret",
            "description",
            "address",
            "address_complement",
            "postal_code",
            "commune",
            "insee_code",
            "territory",
            "phone",
            "email",
            "website",
            "opening_hours",
            "referral_procedure",
            "publics",
            "housing_offers",
            "capacity",
            "reseaux_porteurs",
            "is_iae_prescriber",
            "is_member",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "referral_procedure": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, can_set_membership: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_set_membership:
            # Membership of the coordination is the coordinators' decision, not the structure's.
            del self.fields["is_member"]
        self.helper = _helper(_("Enregistrer"))


class ServiceForm(forms.ModelForm):
    type = forms.ChoiceField(label=_("Type de service"), required=False)
    thematiques = forms.MultipleChoiceField(
        label=_("Thématiques"),
        choices=ref.THEMATIQUE_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    publics = _multiple(_("Publics"), ref.PUBLIC_CHOICES)
    fees = forms.ChoiceField(label=_("Frais"), required=False)
    mobilisation_modes = forms.MultipleChoiceField(
        label=_("Comment mobiliser le service"),
        choices=ref.MODE_MOBILISATION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "type",
            "thematiques",
            "description",
            "conditions",
            "publics",
            "publics_details",
            "fees",
            "fees_details",
            "mobilisation_modes",
            "mobilisation_details",
            "zone",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "publics_details": forms.Textarea(attrs={"rows": 2}),
            "fees_details": forms.Textarea(attrs={"rows": 2}),
            "mobilisation_details": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "—")] + ref.TYPE_SERVICE_CHOICES
        self.fields["fees"].choices = [("", "—")] + ref.FRAIS_CHOICES
        self.helper = _helper(_("Enregistrer"))


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Enregistrer"))


class PartnerActionForm(forms.ModelForm):
    def clean_kind(self):
        return self.cleaned_data.get("kind") or EventKind.ANNOUNCEMENT

    thematiques = forms.MultipleChoiceField(
        label=_("Thématiques"),
        choices=ref.THEMATIQUE_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )

    class Meta:
        model = PartnerAction
        fields = [
            "structure",
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "time",
            "place",
            "commune",
            "audience",
            "thematiques",
            "description",
            "registration",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "registration": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the structures the user may speak for: a forged POST for another one is a form error.
        self.fields["structure"].queryset = structures
        # Interconnaissance events (issue 14) take registrations; a plain announcement stays the default.
        self.fields["kind"].required = False
        self.helper = _helper(_("Enregistrer"))


class ActionFilterForm(forms.Form):
    thematique = forms.ChoiceField(label=_("Thématique"), required=False)
    place = forms.CharField(label=_("Commune ou territoire"), required=False, max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematique"].choices = [("", _("Toutes"))] + ref.THEMATIQUE_CHOICES

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("thematique"):
            queryset = queryset.with_thematique(data["thematique"])
        if data.get("place"):
            queryset = queryset.in_place(data["place"])
        return queryset


# --- data·inclusion upload -------------------------------------------------------------------------
class DataInclusionUploadForm(forms.Form):
    structures = forms.FileField(label=_("Fichier des structures (JSON data·inclusion)"))
    services = forms.FileField(label=_("Fichier des services (JSON data·inclusion)"), required=False)
    skip_invalid = forms.BooleanField(
        label=_("Importer les enregistrements valides même si d'autres sont invalides"), required=False
    )

    MAX_BYTES = 20 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Prévisualiser l'import"))
        self.helper.attrs = {"enctype": "multipart/form-data"}

    def _clean_file(self, name):
        upload = self.cleaned_data.get(name)
        if upload and upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Ce fichier dépasse 20 Mo."))
        return upload

    def clean_structures(self):
        return self._clean_file("structures")

    def clean_services(self):
        return self._clean_file("services")
