"""Two real server processes share PostgreSQL and Redis: a client on each receives an event
written through one of them, exactly once.

Runs in the PostgreSQL pass of ``make test`` (PRACTICA_TEST_DATABASE_URL=postgresql://...);
skipped on SQLite, whose test database lives inside this process and cannot be shared with
servers. Redis at 127.0.0.1:6379 with a channel prefix of its own, so it never mixes with a
running site or another test run.
"""

from __future__ import annotations

import time
import uuid

import pytest
import redis

from practica.accounts.services import create_api_token
from practica.lib.testing import Cast
from tests.realtime_support import Server, SseReader, postgres_url_of_test_database

REDIS = "redis://127.0.0.1:6379/0"


@pytest.mark.django_db(transaction=True)
def test_an_event_written_through_one_process_reaches_clients_of_both_once(cast: Cast) -> None:
    database = postgres_url_of_test_database()
    if database is None:
        pytest.skip("needs PostgreSQL (PRACTICA_TEST_DATABASE_URL): servers share the database")
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    env = {"PRACTICA_REALTIME_REDIS_URL": REDIS, "PRACTICA_REALTIME_CHANNEL_PREFIX": prefix}
    servers = [Server(database, **env), Server(database, **env)]
    readers: list[SseReader] = []
    try:
        for server in servers:
            server.wait_healthy()
        _, member_token = create_api_token(cast.member)
        readers = [SseReader(server.url, member_token) for server in servers]
        for reader in readers:
            assert reader.ready.wait(30), reader.frames
        # Both processes listen on the Redis channel (the fan-out is Redis, not a table tail).
        subscribers = dict(redis.Redis.from_url(REDIS).pubsub_numsub(f"{prefix}:events"))
        assert subscribers[f"{prefix}:events".encode()] == 2
        _, expert_token = create_api_token(cast.expert)
        import http.client
        import json

        conn = http.client.HTTPConnection("127.0.0.1", servers[0].port, timeout=30)
        body = json.dumps({"title": "How do you start a fractions unit?", "body": "Ideas?"})
        conn.request(
            "POST", f"/api/v1/communities/{cast.org_community.slug}/questions", body,
            {"Authorization": f"Bearer {expert_token}", "Content-Type": "application/json"},
        )  # fmt: skip
        response = conn.getresponse()
        assert response.status == 201, response.read()
        post_id = json.loads(response.read())["id"]
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not all(r.events("qa.post_created") for r in readers):
            time.sleep(0.05)
        time.sleep(1.5)  # long enough for a duplicate (Redis + table) to show up if there were one
        for reader in readers:
            created = reader.events("qa.post_created")
            assert [f.data["post_id"] for f in created] == [post_id]
    finally:
        for reader in readers:
            reader.stopped = True
        for server in servers:
            server.stop()
