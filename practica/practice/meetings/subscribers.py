"""What meetings do when other parts of Practica announce something (connected in
``MeetingsConfig.ready``)."""

from __future__ import annotations

from practica.practice.meetings import services
from practica.realtime.bus import Event, subscribe


@subscribe("norms.revisit_opened")
def put_norms_revisit_on_the_agenda(event: Event) -> None:
    """A norms revisit round opened: "Revisit our norms" goes on the community's next meeting
    (once per round, whatever happens to the event)."""
    services.add_norms_revisit(event.payload["community_id"], event.payload["round_id"])


@subscribe("communities.member_left")
@subscribe("communities.member_removed")
def leave_rotas_with_the_community(event: Event) -> None:
    """Someone who leaves a community leaves its meeting rotas; their turns go to the others."""
    services.remove_from_community_rotas(event.payload["community_id"], event.payload["user_id"])
