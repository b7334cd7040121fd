"""How a resource appears in search (registered as the "resource" type in ``apps.ready``)."""

from __future__ import annotations

from django.urls import reverse

from practica.resources.models import Resource, Status
from practica.search.registry import Document


def document(resource: Resource) -> Document | None:
    """Title, description, tags and (for PDFs and Word files) the extracted text; None while
    hidden or removed, so only visible resources are findable. Access is the community's."""
    if resource.status != Status.VISIBLE:
        return None
    body = resource.description
    if resource.extracted_text:
        body = f"{body}\n\n{resource.extracted_text}"
    return Document(
        title=resource.title,
        body=body,
        url=reverse("resources:detail", args=[resource.community.slug, resource.pk]),
        created_at=resource.created_at,
        community_id=resource.community_id,
        tags=[t.name for t in resource.tags.all()],
        author_id=resource.author_id,
    )
