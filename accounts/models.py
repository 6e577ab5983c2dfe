from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SOCIAL_WORKER = "SOCIAL_WORKER", _("Travailleur·se social·e")
    INSERTION_COUNSELLOR = "INSERTION_COUNSELLOR", _("Conseiller·ère d'insertion")
    MANAGER = "MANAGER", _("Responsable de structure")
    COORDINATOR = "COORDINATOR", _("Coordinateur·rice")
    FUNDER = "FUNDER", _("Financeur")
    ADMIN = "ADMIN", _("Administrateur·rice")
    DPO = "DPO", _("Délégué·e à la protection des données")


# Roles that follow people in their structure (privacy.md: WORKER, and MANAGER on top).
FIELD_ROLES = frozenset({Role.SOCIAL_WORKER, Role.INSERTION_COUNSELLOR, Role.MANAGER})

# Roles that must sign in with a second factor (privacy.md §8), in every mode.
MFA_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN, Role.DPO})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # E-mail addresses are stored lower-case; logins are case-insensitive.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A named individual account; logs in with its e-mail address."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    # The interface language the user chose in the header ("" = the browser's, else French).
    language = models.CharField(_("langue de l'interface"), max_length=8, choices=settings.LANGUAGES, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user).select_related("structure").order_by("structure__name", "id")


class Membership(models.Model):
    """A user's place in a structure, with a role. A user may belong to several structures."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("compte"))
    structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("structure")
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        ordering = ["structure__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "structure"], name="accounts_membership_one_per_structure"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.structure} ({self.get_role_display()})"
