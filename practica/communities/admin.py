from __future__ import annotations

from django.contrib import admin

from practica.communities.models import Community, CommunityInvitation, JoinRequest, Membership


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "organization", "visibility", "join_policy", "member_count"]
    search_fields = ["name", "slug", "domain"]


admin.site.register(Membership)
admin.site.register(JoinRequest)
admin.site.register(CommunityInvitation)
