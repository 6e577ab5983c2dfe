from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import SECTOR_BY_KIND, Sector, StructureKind


class Structure(models.Model):
    """A member or partner organisation. The directory issue enriches it."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de structure"), max_length=32, choices=StructureKind.choices)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        return SECTOR_BY_KIND.get(self.kind, Sector.OTHER)
