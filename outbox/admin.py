from django.contrib import admin

from .models import JobRun, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "created_at", "attempts", "last_attempt_at", "last_error"]
    list_filter = ["task"]
    readonly_fields = ["task", "args", "kwargs", "created_at", "attempts", "last_error", "last_attempt_at"]


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "run_key", "started_at", "finished_at"]
    readonly_fields = ["name", "run_key", "started_at", "finished_at"]
