"""Admin of the alerts: thresholds editable (validated like the coordinators' page); alerts read-only."""

from django.contrib import admin

from parcours.admin import PersonDataAdmin

from .models import Alert, AlertSettings, AlertTransition


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not AlertSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class AlertTransitionInline(admin.TabularInline):
    model = AlertTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "reason", "note"]


@admin.register(Alert)
class AlertAdmin(PersonDataAdmin):  # R10: alerts of people the user may see only
    list_display = ["id", "rule", "severity", "status", "due_on", "created_at"]
    list_filter = ["rule", "severity", "status"]
    raw_id_fields = ["person", "owner", "structure", "acknowledged_by", "closed_by"]
    readonly_fields = ["facts", "created_at", "updated_at"]
    inlines = [AlertTransitionInline]
