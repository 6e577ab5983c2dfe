from django.contrib import admin
from django.db import models

from parcours.admin import PersonDataAdmin

from .models import CaseReview, Commission, CommissionMember, Decision, Session


class CommissionMemberInline(admin.TabularInline):
    model = CommissionMember
    extra = 0
    raw_id_fields = ["structure"]


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territory"]
    inlines = [CommissionMemberInline]
    filter_horizontal = ["coordinators"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["id", "commission", "starts_at", "status"]
    list_filter = ["status"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CaseReview)
class CaseReviewAdmin(PersonDataAdmin):
    """Cases carry a person: only people the administrator may see (privacy.md R10)."""

    list_display = ["id", "session", "mode", "initials", "age_band"]
    raw_id_fields = ["person", "session", "proposal", "previous"]


@admin.register(Decision)
class DecisionAdmin(PersonDataAdmin):
    person_field = "case__person"
    list_display = ["id", "kind", "owner_structure", "due_on", "status"]
    raw_id_fields = ["case"]
