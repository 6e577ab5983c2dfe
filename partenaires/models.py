from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import user_scope

from . import referentials as ref
from .enums import (
    INTERCONNAISSANCE_KINDS,
    RESEAU_PORTEUR_BY_KIND,
    SECTOR_BY_KIND,
    EventKind,
    HousingOffer,
    RegistrationStatus,
    Sector,
    StructureKind,
)
from .validators import validate_insee_code, validate_postal_code, validate_siret


def _slug_array(verbose_name):
    return ArrayField(models.CharField(max_length=120), verbose_name=verbose_name, default=list, blank=True)


def _check_slugs(errors: dict, field: str, values, labels: dict) -> None:
    unknown = ref.invalid_slugs(values, labels)
    if unknown:
        errors[field] = _("Valeur(s) inconnue(s) du référentiel data·inclusion : %(values)s.") % {
            "values": ", ".join(unknown)
        }


def _check_publics(errors: dict, values) -> None:
    _check_slugs(errors, "publics", values, ref.PUBLIC_LABELS)
    if "publics" not in errors and ref.TOUS_PUBLICS in (values or []) and len(values) > 1:
        errors["publics"] = _("« Tous publics » ne peut pas être combiné avec un autre public.")


def search_query(text: str) -> SearchQuery | None:
    """Every word of `text`, normalised, as a prefix: "heberg urgen" finds "Hébergement d'urgence"."""
    words = ref.normalize(text).split()[:10]
    if not words:
        return None
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="simple")


# --- structures ------------------------------------------------------------------------------------
class StructureQuerySet(models.QuerySet):
    def search(self, text: str):
        query = search_query(text)
        return self.filter(search_vector=query) if query else self

    def members(self):
        return self.filter(is_member=True)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def with_thematique(self, slug: str):
        return self.filter(Exists(Service.objects.filter(structure=OuterRef("pk"), thematiques__contains=[slug])))

    def for_public(self, slug: str):
        services = Service.objects.filter(structure=OuterRef("pk"), publics__overlap=[slug, ref.TOUS_PUBLICS])
        return self.filter(Q(publics__overlap=[slug, ref.TOUS_PUBLICS]) | Exists(services))

    def in_place(self, text: str):
        """Commune, postal code, INSEE code or territory served, accent- and case-insensitive."""
        normalized = ref.normalize(text)
        return self.filter(place_document__contains=normalized) if normalized else self

    def stale(self, *, reviewed_before):
        return self.filter(Q(reviewed_on__lt=reviewed_before) | Q(reviewed_on__isnull=True))


class Structure(models.Model):
    """A member or partner organisation and what the directory says about it."""

    name = models.CharField(_("nom"), max_length=200)
    acronym = models.CharField(_("sigle"), max_length=30, blank=True)
    kind = models.CharField(_("type de structure"), max_length=32, choices=StructureKind.choices)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    address_complement = models.CharField(_("complément d'adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True, validators=[validate_postal_code])
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True, validators=[validate_insee_code])
    territory = models.CharField(
        _("territoire desservi"), max_length=255, blank=True, help_text=_("Communes, quartiers ou intercommunalité.")
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("présentation"), blank=True)
    publics = _slug_array(_("publics accueillis"))
    opening_hours = models.CharField(
        _("horaires d'accueil"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple : du lundi au vendredi, 9 h–17 h."),
    )
    referral_procedure = models.TextField(
        _("comment orienter une personne"),
        blank=True,
        help_text=_("Qui contacter, quels documents joindre, délai de réponse habituel."),
    )
    capacity = models.PositiveIntegerField(_("capacité (places)"), null=True, blank=True)
    is_member = models.BooleanField(_("membre de la coordination"), default=False)
    is_iae_prescriber = models.BooleanField(_("prescripteur habilité IAE"), default=False)
    reseaux_porteurs = _slug_array(_("réseaux porteurs (data·inclusion)"))
    housing_offers = ArrayField(
        models.CharField(max_length=32, choices=HousingOffer.choices),
        verbose_name=_("offres d'hébergement et de logement"),
        default=list,
        blank=True,
    )
    reviewed_on = models.DateField(_("dernière mise à jour"), null=True, blank=True)
    review_reminder_sent_at = models.DateTimeField(_("dernier rappel de mise à jour"), null=True, blank=True)
    # data·inclusion identity of an imported structure: re-imports update it instead of duplicating it.
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("identifiant à la source"), max_length=200, blank=True)
    # Maintained by the app (update_search_fields): unaccented lower-case text of the structure and its services.
    search_document = models.TextField(editable=False, default="")
    place_document = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector("search_document", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="partenaires_struct_search"),
            models.Index(fields=["kind"], name="partenaires_structure_kind"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="partenaires_structure_unique_source_id",
                violation_error_message=_("Une structure importée de cette source porte déjà cet identifiant."),
            ),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=r"^[0-9]{14}$"),
                name="partenaires_structure_siret_14_digits",
                violation_error_message=_("Le SIRET doit comporter 14 chiffres."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.build_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_document", "place_document"}
        super().save(*args, **kwargs)
        # The database computes the generated column; it is not needed in memory.
        self.__dict__.pop("search_vector", None)

    @property
    def sector(self) -> str:
        return SECTOR_BY_KIND.get(self.kind, Sector.OTHER)

    @property
    def reseau_porteur(self) -> str | None:
        return RESEAU_PORTEUR_BY_KIND.get(self.kind)

    def clean(self):
        errors: dict = {}
        _check_slugs(errors, "reseaux_porteurs", self.reseaux_porteurs, ref.RESEAU_PORTEUR_LABELS)
        _check_publics(errors, self.publics)
        if errors:
            raise ValidationError(errors)

    # Search documents -----------------------------------------------------------------------------
    def build_search_fields(self, services=None) -> None:
        """Compute the normalised documents from this structure and `services` (read from the database if None)."""
        if services is None:
            services = list(self.services.all()) if self.pk else []
        parts = [
            self.name,
            self.acronym,
            self.get_kind_display(),
            self.description,
            self.commune,
            self.territory,
            # The search document is French whatever the language of the user who saves (the package's labels).
            " ".join(ref.PUBLIC_LABELS.get(slug, slug) for slug in self.publics),
            " ".join(str(HousingOffer(offer).label) for offer in self.housing_offers if offer in HousingOffer.values),
            " ".join(ref.RESEAU_PORTEUR_LABELS.get(slug, "") for slug in self.reseaux_porteurs),
        ]
        for service in services:
            parts += [
                service.name,
                service.description,
                " ".join(ref.THEMATIQUE_LABELS.get(slug, slug) for slug in service.thematiques),
            ]
        self.search_document = ref.normalize(" ".join(str(part) for part in parts if part))
        self.place_document = " | ".join(
            ref.normalize(part) for part in (self.commune, self.postal_code, self.insee_code, self.territory) if part
        )

    def refresh_search_fields(self) -> None:
        self.build_search_fields()
        Structure.objects.filter(pk=self.pk).update(
            search_document=self.search_document, place_document=self.place_document
        )

    def mark_reviewed(self) -> None:
        self.reviewed_on = timezone.localdate()
        Structure.objects.filter(pk=self.pk).update(reviewed_on=self.reviewed_on, review_reminder_sent_at=None)

    def editable_by(self, user) -> bool:
        return can_edit_structure(user, self)


def can_edit_structure(user, structure: Structure) -> bool:
    """Coordinators edit every structure; a manager edits the structures they manage; others only read."""
    scope = user_scope(user)
    return scope.is_coordinator or (structure.pk is not None and structure.pk in scope.manager_structures)


# --- services --------------------------------------------------------------------------------------
class Service(models.Model):
    """What a structure offers (data·inclusion `Service`)."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="services", verbose_name=_("structure")
    )
    name = models.CharField(_("nom du service"), max_length=150, validators=[MinLengthValidator(3)])
    type = models.CharField(_("type de service"), max_length=40, blank=True)
    thematiques = _slug_array(_("thématiques"))
    description = models.TextField(_("description"), validators=[MinLengthValidator(5)])
    conditions = models.TextField(_("conditions d'accès"), blank=True)
    publics = _slug_array(_("publics"))
    publics_details = models.TextField(_("précisions sur les publics"), blank=True)
    fees = models.CharField(_("frais"), max_length=20, blank=True)
    fees_details = models.TextField(_("précisions sur les frais"), blank=True)
    mobilisation_modes = _slug_array(_("comment mobiliser le service"))
    mobilisation_details = models.TextField(_("précisions sur la mobilisation"), blank=True)
    zone = ArrayField(
        models.CharField(max_length=9),
        verbose_name=_("zone d'éligibilité"),
        default=list,
        blank=True,
        help_text=_("Codes INSEE de communes, de départements ou d'EPCI, séparés par des virgules."),
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("identifiant à la source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["structure", "name", "id"]
        indexes = [GinIndex(fields=["thematiques"], name="partenaires_service_themes")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="partenaires_service_unique_source_id",
                violation_error_message=_("Un service importé de cette source porte déjà cet identifiant."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors: dict = {}
        _check_slugs(errors, "thematiques", self.thematiques, ref.THEMATIQUE_LABELS)
        _check_publics(errors, self.publics)
        _check_slugs(errors, "mobilisation_modes", self.mobilisation_modes, ref.MODE_MOBILISATION_LABELS)
        if self.type and self.type not in ref.TYPE_SERVICE_LABELS:
            errors["type"] = _("Type de service inconnu du référentiel data·inclusion : %(value)s.") % {
                "value": self.type
            }
        if self.fees and self.fees not in ref.FRAIS_LABELS:
            errors["fees"] = _("Valeur de frais inconnue : %(value)s.") % {"value": self.fees}
        bad_zone = [code for code in self.zone or [] if not ref.ZONE_CODE.match(code)]
        if bad_zone:
            errors["zone"] = _("Codes de zone invalides : %(values)s.") % {"values": ", ".join(bad_zone)}
        if errors:
            raise ValidationError(errors)

    @property
    def thematique_labels(self) -> list[str]:
        return [ref.thematique_label(slug) for slug in self.thematiques]

    @property
    def public_labels(self) -> list[str]:
        return [ref.public_label(slug) for slug in self.publics]

    @property
    def type_label(self) -> str:
        return ref.type_service_label(self.type)

    @property
    def fees_label(self) -> str:
        return ref.frais_label(self.fees)

    @property
    def mobilisation_labels(self) -> list[str]:
        return [ref.mode_mobilisation_label(slug) for slug in self.mobilisation_modes]


# --- contacts --------------------------------------------------------------------------------------
class Contact(models.Model):
    """A named person to call at a structure (a professional contact, not a person followed)."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("structure")
    )
    name = models.CharField(_("nom et prénom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_contacts",
        verbose_name=_("compte associé"),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["structure", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""),
                name="partenaires_contact_phone_or_email",
                violation_error_message=_("Indiquez au moins un téléphone ou une adresse e-mail."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- partner actions -------------------------------------------------------------------------------
class PartnerActionQuerySet(models.QuerySet):
    def coming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today))

    def between(self, first, last):
        """Actions overlapping the days from `first` to `last` included."""
        return self.filter(starts_on__lte=last).filter(
            Q(ends_on__gte=first) | Q(ends_on__isnull=True, starts_on__gte=first)
        )

    def with_thematique(self, slug: str):
        return self.filter(thematiques__contains=[slug])

    def in_place(self, text: str):
        normalized = ref.normalize(text)
        return self.filter(place_document__contains=normalized) if normalized else self


class PartnerAction(models.Model):
    """An action or event a partner announces to the others (information session, job dating, workshop…)."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="actions", verbose_name=_("structure")
    )
    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(
        _("type d'action"), max_length=20, choices=EventKind.choices, default=EventKind.ANNOUNCEMENT
    )
    starts_on = models.DateField(_("date de début"))
    ends_on = models.DateField(_("date de fin"), null=True, blank=True)
    time = models.CharField(_("horaires"), max_length=100, blank=True, help_text=_("Par exemple : 9 h 30 – 12 h."))
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    audience = models.CharField(_("public visé"), max_length=255, blank=True)
    thematiques = _slug_array(_("thématiques"))
    description = models.TextField(_("description"), blank=True)
    registration = models.TextField(_("comment s'inscrire"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("annoncée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    place_document = models.TextField(editable=False, default="")

    objects = PartnerActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action partenaire")
        verbose_name_plural = _("actions partenaires")
        ordering = ["starts_on", "title", "id"]
        indexes = [models.Index(fields=["starts_on"], name="partenaires_action_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="partenaires_action_ends_after_start",
                violation_error_message=_("La date de fin ne peut pas précéder la date de début."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        structure = self.structure
        self.place_document = " | ".join(
            ref.normalize(part)
            for part in (self.place, self.commune, structure.commune, structure.territory, structure.postal_code)
            if part
        )
        super().save(*args, **kwargs)

    def clean(self):
        errors: dict = {}
        _check_slugs(errors, "thematiques", self.thematiques, ref.THEMATIQUE_LABELS)
        if errors:
            raise ValidationError(errors)

    @property
    def last_day(self):
        return self.ends_on or self.starts_on

    @property
    def thematique_labels(self) -> list[str]:
        return [ref.thematique_label(slug) for slug in self.thematiques]

    @property
    def is_interconnaissance(self) -> bool:
        return self.kind in INTERCONNAISSANCE_KINDS


class EventRegistration(models.Model):
    """A structure (and optionally one of its professionals) invited to, registered for or present at an
    interconnaissance event (issue 14). One row per event, structure and person; `user` empty = the structure."""

    action = models.ForeignKey(
        PartnerAction, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("événement")
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="event_registrations", verbose_name=_("structure")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("professionnel·le"),
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("inscription à un événement")
        verbose_name_plural = _("inscriptions aux événements")
        ordering = ["action_id", "structure_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "structure", "user"],
                nulls_distinct=False,
                name="partenaires_registration_unique",
                violation_error_message=_("Cette inscription existe déjà."),
            ),
        ]
        indexes = [models.Index(fields=["structure", "status"], name="partenaires_reg_struct")]

    def __str__(self) -> str:
        return f"{self.action_id} — {self.structure_id} ({self.status})"


# --- digest subscriptions and uploaded imports ----------------------------------------------------
class DigestSubscription(models.Model):
    """A user who asked for the weekly e-mail of coming partner actions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_digest", verbose_name=_("compte")
    )
    created_at = models.DateTimeField(_("abonné·e le"), auto_now_add=True)
    last_sent_on = models.DateField(_("dernier envoi"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement à la lettre des actions partenaires")
        verbose_name_plural = _("abonnements à la lettre des actions partenaires")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.user)


class DirectoryImport(models.Model):
    """A data·inclusion upload kept server-side between its preview and its confirmation."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("déposé par")
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    structures = models.JSONField(_("structures"), default=list)
    services = models.JSONField(_("services"), default=list)
    skip_invalid = models.BooleanField(_("ignorer les enregistrements invalides"), default=False)
    applied_at = models.DateTimeField(_("importé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import data·inclusion")
        verbose_name_plural = _("imports data·inclusion")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.uploaded_by} — {self.created_at:%Y-%m-%d %H:%M}"
