from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, User
from .signals import membership_saved


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["structure"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name", "id"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "password1", "password2")}),
    )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for membership in getattr(formset, "new_objects", []) + [
            obj for obj, _f in getattr(formset, "changed_objects", [])
        ]:
            if isinstance(membership, Membership):
                membership_saved.send(sender="accounts", by=request.user, membership=membership, request=request)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "structure", "role"]
    list_filter = ["role"]
    search_fields = ["user__email", "structure__name"]
    autocomplete_fields = ["user", "structure"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        membership_saved.send(sender="accounts", by=request.user, membership=obj, request=request)
