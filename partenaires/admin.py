from django.contrib import admin
from django.db import models

from .models import Contact, DigestSubscription, DirectoryImport, PartnerAction, Service, Structure


class ServiceInline(admin.StackedInline):
    model = Service
    extra = 0
    fields = ["name", "type", "thematiques", "description", "publics", "fees"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "phone", "email", "user"]
    raw_id_fields = ["user"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "is_member", "reviewed_on"]
    list_filter = ["kind", "is_member"]
    # The benchmark compares the directory search with this changelist search on the same rows.
    search_fields = ["name", "acronym", "description", "commune", "services__name", "services__description"]
    readonly_fields = ["reviewed_on", "review_reminder_sent_at", "source", "source_id"]
    inlines = [ServiceInline, ContactInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "structure", "type", "fees"]
    search_fields = ["name", "structure__name"]
    raw_id_fields = ["structure"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "structure"]
    search_fields = ["name", "structure__name"]
    raw_id_fields = ["structure", "user"]


@admin.register(PartnerAction)
class PartnerActionAdmin(admin.ModelAdmin):
    list_display = ["title", "structure", "starts_on", "ends_on"]
    list_filter = ["starts_on"]
    search_fields = ["title", "structure__name"]
    raw_id_fields = ["structure", "created_by"]


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_sent_on"]
    raw_id_fields = ["user"]


@admin.register(DirectoryImport)
class DirectoryImportAdmin(admin.ModelAdmin):
    list_display = ["uploaded_by", "created_at", "applied_at"]
    readonly_fields = ["uploaded_by", "created_at", "applied_at", "skip_invalid"]
    exclude = ["structures", "services"]
