"""Administration of the case file. Superusers only (Django's default); used for support and as the benchmark
baseline. Field workers use the app's pages, which apply the access policy."""

from django.contrib import admin

from .models import (
    Consent,
    DuplicateCheckRequest,
    EmploymentSituation,
    Event,
    FollowUp,
    Household,
    HouseholdMember,
    HousingSituation,
    Notification,
    ParcoursSettings,
    Person,
    Referral,
    ReferralTransition,
    Resource,
)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    raw_id_fields = ["structure", "referent"]


class HousingSituationInline(admin.TabularInline):
    model = HousingSituation
    extra = 0
    raw_id_fields = ["structure"]


class EmploymentSituationInline(admin.TabularInline):
    model = EmploymentSituation
    extra = 0
    raw_id_fields = ["structure"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    raw_id_fields = ["structure", "author"]
    fields = ["kind", "at", "status", "structure", "author", "visibility"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "birth_date", "commune_insee", "last_contact_at"]
    search_fields = ["search_name", "last_name", "first_name"]
    list_filter = ["gender", "restricted"]
    readonly_fields = ["last_contact_at", "created_at", "created_by"]
    inlines = [FollowUpInline, HousingSituationInline, EmploymentSituationInline, EventInline]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["id", "household_type", "dependent_children"]
    list_filter = ["household_type"]


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(admin.ModelAdmin):
    list_display = ["household", "person", "role", "is_dependent", "left_on"]
    raw_id_fields = ["household", "person"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "scope", "decision", "decided_on", "is_current"]
    list_filter = ["scope", "decision", "is_current"]
    raw_id_fields = ["person", "collected_by", "collected_by_structure"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["person", "structure", "kind", "referent", "is_lead", "started_on", "ended_on"]
    list_filter = ["kind", "is_lead", "sharing_basis", "referent"]
    list_select_related = ["person", "structure", "referent"]
    raw_id_fields = ["person", "structure", "referent"]


@admin.register(HousingSituation)
class HousingSituationAdmin(admin.ModelAdmin):
    list_display = ["person", "residential_status", "structure", "started_on", "planned_end_on", "ended_on"]
    list_filter = ["residential_status"]
    list_select_related = ["person", "structure"]
    raw_id_fields = ["person", "structure", "created_by"]


@admin.register(EmploymentSituation)
class EmploymentSituationAdmin(admin.ModelAdmin):
    list_display = ["person", "situation", "contract_type", "started_on", "planned_end_on", "ended_on"]
    list_filter = ["situation", "contract_type"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "structure", "created_by"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "monthly_amount", "started_on", "expected_end_on", "ended_on"]
    list_filter = ["kind"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "created_by"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "at", "status", "structure", "visibility"]
    list_filter = ["kind", "status", "visibility"]
    list_select_related = ["person", "structure"]
    raw_id_fields = ["person", "structure", "author"]


class ReferralTransitionInline(admin.TabularInline):
    model = ReferralTransition
    extra = 0
    raw_id_fields = ["by"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["person", "from_structure", "to_structure", "kind", "status", "sent_at", "response_due_on"]
    list_filter = ["status", "kind"]
    list_select_related = ["person", "from_structure", "to_structure"]
    raw_id_fields = ["person", "from_structure", "to_structure", "sent_by", "answered_by"]
    inlines = [ReferralTransitionInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "structure", "recipient", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["structure", "recipient", "referral", "duplicate_check"]


@admin.register(DuplicateCheckRequest)
class DuplicateCheckRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "structure", "requested_by", "created_at", "resolved_at"]
    raw_id_fields = ["requested_by", "structure", "matches"]


@admin.register(ParcoursSettings)
class ParcoursSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "referral_response_days", "referral_expiry_days"]

    def has_add_permission(self, request):
        return not ParcoursSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


from parcours.alerts import admin as _alerts_admin  # noqa: E402, F401
