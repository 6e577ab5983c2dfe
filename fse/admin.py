from django.contrib import admin

from .models import Operation, Report

# Participants are not in the admin: administrators see no participant record (privacy.md R10).


@admin.register(Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme", "start_on", "end_on", "carrier"]
    list_filter = ["programme"]
    search_fields = ["number", "title"]
    filter_horizontal = ["funders"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["operation", "period_start", "period_end", "status", "requested_at", "generated_at"]
    list_filter = ["status"]
    readonly_fields = ["file", "checksum", "size", "generated_at", "requested_by", "requested_at", "progress"]
