"""Administration of evaluations, read-only (finalised versions are immutable); used for support and as the
benchmark baseline. Field workers use the app's pages.

Evaluations hold health items (RQTH, the HEALTH barrier): like every person-data admin (`parcours.admin`), the
list shows only evaluations of people the user sees in FULL view, drafts only of the user's structures (R8), and
every read is audited (privacy.md R10: an administrator without a follow-up sees no evaluation).
"""

from django.contrib import admin
from django.db.models import Q

from accounts.scope import user_scope
from parcours.admin import PersonDataAdmin

from .enums import EvaluationStatus
from .models import Barrier, Evaluation, EvaluationSettings


class BarrierInline(admin.TabularInline):
    model = Barrier
    extra = 0
    can_delete = False
    fields = ["theme", "status", "situations"]
    readonly_fields = fields


@admin.register(Evaluation)
class EvaluationAdmin(PersonDataAdmin):
    def restrict(self, queryset, request):
        mine = sorted(user_scope(request.user).field_structures)
        drafts_ruled = queryset.filter(Q(status=EvaluationStatus.FINAL) | Q(structure_id__in=mine))  # R8
        return super().restrict(drafts_ruled, request)

    list_display = ["id", "person_id", "structure", "status", "version_no", "distance_level", "finalised_at"]
    list_filter = ["status", "distance_level", "is_current"]
    list_select_related = ["structure"]
    raw_id_fields = ["person", "structure", "author", "based_on", "finalised_by"]
    inlines = [BarrierInline]
    show_full_result_count = False


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "barriers_one_point_from", "barriers_two_points_from", "close_max_score"]

    def has_add_permission(self, request):
        return not EvaluationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
