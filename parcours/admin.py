"""Administration of the case file; used for support and as the benchmark baseline.

Administrators see no file (privacy.md R10): every ModelAdmin showing a person's data (`PersonDataAdmin`, here
and in the apps above) filters its queryset through the access policy, superusers included: only people the
user sees in FULL view (`access.full_q`: a follow-up of theirs giving health access), so that the admin never
shows a ◆ item, a REFERRAL-only or SHARED file in full. An administrator without such a follow-up sees no row;
a change page of a person they may not see answers like a missing object (a redirect to the admin index).
Person data is read-only here (writes go through the app's services, with their checks, history and audit),
and every read (list or change page) leaves an entry in the audit trail. Settings rows stay editable.
"""

from django.contrib import admin
from django.db.models import Q

import audit
from accounts.scope import user_scope
from audit.models import Action

from .access import full_q
from .enums import Visibility
from .models import (
    Consent,
    DuplicateCheckRequest,
    EmploymentSituation,
    Event,
    FollowUp,
    Household,
    HouseholdMember,
    HousingRequest,
    HousingSituation,
    Notification,
    ParcoursSettings,
    PassIae,
    Person,
    Referral,
    ReferralTransition,
    Resource,
)


def visible_people(request):
    """People whose whole file the user may read in the admin: FULL view only (R10, no superuser exception)."""
    return Person.objects.filter(full_q(request.user)).values("pk")


class PersonDataAdmin(admin.ModelAdmin):
    """A ModelAdmin of person data: read-only rows of people the user sees in FULL view; every read audited."""

    person_field = "person"

    def get_queryset(self, request):
        return self.restrict(super().get_queryset(request), request)

    def restrict(self, queryset, request):
        return queryset.filter(**{f"{self.person_field}__in": visible_people(request)})

    def person_id_of(self, obj):
        if obj is None:
            return None
        if isinstance(obj, Person):
            return obj.pk
        return getattr(obj, f"{self.person_field}_id", None)

    # Writes go through the app (services, history, audit), never through the admin.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        audit.record(
            user=request.user,
            action=Action.VIEW,
            detail=f"admin_changelist:{self.model._meta.label_lower}",
            request=request,
        )
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        obj = (getattr(response, "context_data", None) or {}).get("original")
        if obj is not None:
            audit.record(
                user=request.user,
                action=Action.VIEW,
                person=self.person_id_of(obj),
                obj=obj,
                detail=f"admin_change:{obj._meta.label_lower}",
                request=request,
            )
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        obj = (getattr(response, "context_data", None) or {}).get("object")
        if obj is not None:
            audit.record(
                user=request.user,
                action=Action.VIEW,
                person=self.person_id_of(obj),
                obj=obj,
                detail=f"admin_history:{obj._meta.label_lower}",
                request=request,
            )
        return response


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
class PersonAdmin(PersonDataAdmin):
    def restrict(self, queryset, request):
        return queryset.filter(pk__in=visible_people(request))

    list_display = ["last_name", "first_name", "birth_date", "commune_insee", "last_contact_at"]
    search_fields = ["search_name", "last_name", "first_name"]
    list_filter = ["gender", "restricted"]
    readonly_fields = ["last_contact_at", "created_at", "created_by"]
    inlines = [FollowUpInline, HousingSituationInline, EmploymentSituationInline, EventInline]


@admin.register(Household)
class HouseholdAdmin(PersonDataAdmin):
    def restrict(self, queryset, request):
        return queryset.filter(members__person__in=visible_people(request)).distinct()

    list_display = ["id", "household_type", "dependent_children"]
    list_filter = ["household_type"]


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(PersonDataAdmin):
    list_display = ["household", "person", "role", "is_dependent", "left_on"]
    raw_id_fields = ["household", "person"]


@admin.register(Consent)
class ConsentAdmin(PersonDataAdmin):
    list_display = ["person", "scope", "decision", "decided_on", "is_current"]
    list_filter = ["scope", "decision", "is_current"]
    raw_id_fields = ["person", "collected_by", "collected_by_structure"]


@admin.register(FollowUp)
class FollowUpAdmin(PersonDataAdmin):
    list_display = ["person", "structure", "kind", "referent", "is_lead", "started_on", "ended_on"]
    list_filter = ["kind", "is_lead", "sharing_basis", "referent"]
    list_select_related = ["person", "structure", "referent"]
    raw_id_fields = ["person", "structure", "referent"]


@admin.register(HousingSituation)
class HousingSituationAdmin(PersonDataAdmin):
    list_display = ["person", "residential_status", "structure", "started_on", "planned_end_on", "ended_on"]
    list_filter = ["residential_status"]
    list_select_related = ["person", "structure"]
    raw_id_fields = ["person", "structure", "created_by"]


@admin.register(EmploymentSituation)
class EmploymentSituationAdmin(PersonDataAdmin):
    list_display = ["person", "situation", "contract_type", "started_on", "planned_end_on", "ended_on"]
    list_filter = ["situation", "contract_type"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "structure", "created_by"]


@admin.register(Resource)
class ResourceAdmin(PersonDataAdmin):
    list_display = ["person", "kind", "monthly_amount", "started_on", "expected_end_on", "ended_on"]
    list_filter = ["kind"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "created_by"]


@admin.register(PassIae)
class PassIaeAdmin(PersonDataAdmin):
    list_display = ["person", "start_on", "end_on"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]


@admin.register(HousingRequest)
class HousingRequestAdmin(PersonDataAdmin):
    list_display = ["person", "kind", "status", "filed_on", "renewal_due_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]


@admin.register(Event)
class EventAdmin(PersonDataAdmin):
    def restrict(self, queryset, request):
        # R7: a PRIVATE note text only for the author's structure.
        mine = sorted(user_scope(request.user).field_structures)
        return super().restrict(queryset, request).filter(Q(visibility=Visibility.SHARED) | Q(structure_id__in=mine))

    list_display = ["person", "kind", "at", "status", "structure", "visibility"]
    list_filter = ["kind", "status", "visibility"]
    list_select_related = ["person", "structure"]
    raw_id_fields = ["person", "structure", "author"]


class ReferralTransitionInline(admin.TabularInline):
    model = ReferralTransition
    extra = 0
    raw_id_fields = ["by"]


@admin.register(Referral)
class ReferralAdmin(PersonDataAdmin):
    list_display = ["person", "from_structure", "to_structure", "kind", "status", "sent_at", "response_due_on"]
    list_filter = ["status", "kind"]
    list_select_related = ["person", "from_structure", "to_structure"]
    raw_id_fields = ["person", "from_structure", "to_structure", "sent_by", "answered_by"]
    inlines = [ReferralTransitionInline]


@admin.register(Notification)
class NotificationAdmin(PersonDataAdmin):
    def restrict(self, queryset, request):
        # A notice names no one, but its referral does: only notices about a referral of a visible person.
        return queryset.filter(Q(referral__isnull=True) | Q(referral__person__in=visible_people(request)))

    list_display = ["kind", "structure", "recipient", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["structure", "recipient", "referral", "duplicate_check"]


@admin.register(DuplicateCheckRequest)
class DuplicateCheckRequestAdmin(PersonDataAdmin):
    def restrict(self, queryset, request):
        # The matches are people the requester may not see: only requests whose every match is visible.
        hidden = Person.objects.exclude(pk__in=visible_people(request)).values("pk")
        return queryset.exclude(matches__in=hidden)

    list_display = ["id", "structure", "requested_by", "created_at", "resolved_at"]
    raw_id_fields = ["requested_by", "structure", "matches"]


@admin.register(ParcoursSettings)
class ParcoursSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "referral_response_days", "referral_expiry_days"]

    def has_add_permission(self, request):
        return not ParcoursSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
