from __future__ import annotations

from django.contrib import admin

from practica.accounts.models import ApiToken, Organization, OrgInvitation, OrgMembership, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "title", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    exclude = ["password"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "parent", "path"]
    search_fields = ["name", "slug"]


admin.site.register(OrgMembership)
admin.site.register(OrgInvitation)
admin.site.register(ApiToken)
