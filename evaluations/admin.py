"""Administration of evaluations, read-only (finalised versions are immutable). Superusers only, as in
parcours; used for support and as the benchmark baseline. Field workers use the app's pages."""

from django.contrib import admin

from .models import Barrier, Evaluation, EvaluationSettings


class BarrierInline(admin.TabularInline):
    model = Barrier
    extra = 0
    can_delete = False
    fields = ["theme", "status", "situations"]
    readonly_fields = fields


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["id", "person_id", "structure", "status", "version_no", "distance_level", "finalised_at"]
    list_filter = ["status", "distance_level", "is_current"]
    list_select_related = ["structure"]
    raw_id_fields = ["person", "structure", "author", "based_on", "finalised_by"]
    inlines = [BarrierInline]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "barriers_one_point_from", "barriers_two_points_from", "close_max_score"]

    def has_add_permission(self, request):
        return not EvaluationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
