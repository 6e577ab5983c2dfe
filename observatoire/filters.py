"""The observatory's filters: period, territory, sector, structure, validated by a form (French messages)."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partenaires.enums import SECTOR_BY_KIND, Sector
from partenaires.models import Structure

from . import html

MAX_PERIOD_DAYS = 5 * 366  # "a period over 5 years" is refused


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    territory: str = ""
    sector: str = ""
    structure_id: int | None = None
    # Structures a manager is limited to (None = no limit: coordinators).
    limit_to: tuple | None = field(default=None)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> "Filters":
        """The period of the same length just before this one."""
        end = self.start - dt.timedelta(days=1)
        return Filters(end - dt.timedelta(days=self.days - 1), end, self.territory, self.sector, self.structure_id)

    def query(self) -> dict:
        data = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.territory:
            data["territory"] = self.territory
        if self.sector:
            data["sector"] = self.sector
        if self.structure_id:
            data["structure"] = str(self.structure_id)
        return data

    def querystring(self) -> str:
        return urlencode(self.query())

    def label(self, structure_names: dict | None = None) -> str:
        parts = [
            _("du %(start)s au %(end)s")
            % {"start": self.start.strftime("%d/%m/%Y"), "end": self.end.strftime("%d/%m/%Y")}
        ]
        if self.territory:
            parts.append(_("territoire : %(value)s") % {"value": self.territory})
        if self.sector:
            parts.append(_("secteur : %(value)s") % {"value": Sector(self.sector).label})
        if self.structure_id:
            name = (structure_names or {}).get(self.structure_id, str(self.structure_id))
            parts.append(_("structure : %(value)s") % {"value": name})
        return ", ".join(str(p) for p in parts)


def kinds_of_sector(sector: str) -> list[str]:
    from partenaires.enums import StructureKind

    if sector == Sector.OTHER:
        return [k for k in StructureKind.values if k not in SECTOR_BY_KIND]
    return [k for k, s in SECTOR_BY_KIND.items() if s == sector]


def territory_choices() -> list[tuple[str, str]]:
    communes = Structure.objects.exclude(commune="").order_by("commune").values_list("commune", flat=True).distinct()
    return [("", gettext_lazy("Tout le territoire"))] + [(c, c) for c in communes]


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 12 full months and the current one."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    year, month = first.year - 1, first.month
    return dt.date(year, month, 1), today


class FilterForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    territory = forms.ChoiceField(label=gettext_lazy("Territoire"), required=False)
    sector = forms.ChoiceField(
        label=gettext_lazy("Secteur"),
        required=False,
        choices=[("", gettext_lazy("Tous les secteurs")), *Sector.choices],
    )
    structure = forms.TypedChoiceField(label=gettext_lazy("Structure"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, structures=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["territory"].choices = territory_choices()
        structures = structures if structures is not None else Structure.objects.members()
        self.fields["structure"].choices = [("", gettext_lazy("Toutes les structures"))] + list(
            structures.order_by("name", "id").values_list("pk", "name")
        )
        for name in self.fields:
            self.fields[name].error_messages["invalid_choice"] = _(
                "Valeur inconnue pour ce filtre : choisissez dans la liste."
            )
        self.fields["start"].error_messages["invalid"] = _("Date de début invalide (JJ/MM/AAAA).")
        self.fields["end"].error_messages["invalid"] = _("Date de fin invalide (JJ/MM/AAAA).")

    def structure_options(self):
        """The structure select's options, rendered in Python (thousands of them: observatoire/html.py)."""
        return html.options(self.fields["structure"].choices, self["structure"].value())

    def clean(self):
        data = super().clean()
        default_start, default_end = default_period()
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if "start" in self.errors or "end" in self.errors:
            return data
        if end < start:
            raise forms.ValidationError(_("La période se termine avant de commencer : vérifiez les dates."))
        if (end - start).days + 1 > MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("La période ne peut pas dépasser 5 ans."))
        data["start"], data["end"] = start, end
        return data

    def filters(self, *, limit_to=None) -> Filters:
        data = self.cleaned_data
        return Filters(
            start=data["start"],
            end=data["end"],
            territory=data.get("territory") or "",
            sector=data.get("sector") or "",
            structure_id=data.get("structure"),
            limit_to=tuple(sorted(limit_to)) if limit_to is not None else None,
        )
