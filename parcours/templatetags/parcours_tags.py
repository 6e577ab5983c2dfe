"""`{{ obj|label:"field" }}`: the French label of a choice field, like `get_FOO_display()` but without
Django's per-call hashing of every translated choice (which translates the whole list on each call)."""

from django import template
from django.utils.translation import get_language

register = template.Library()

_LABELS: dict = {}


def choice_label(instance, field_name: str) -> str:
    value = getattr(instance, field_name)
    if value in (None, ""):
        return ""
    key = (instance._meta.label, field_name, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        field = instance._meta.get_field(field_name)
        labels = {code: str(label) for code, label in field.flatchoices}
        _LABELS[key] = labels
    return labels.get(value, value)


@register.filter
def label(instance, field_name: str) -> str:
    return choice_label(instance, field_name)
