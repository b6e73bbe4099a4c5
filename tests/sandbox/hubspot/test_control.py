"""Control API: apps listing, stats, faults, clock."""

from __future__ import annotations

from tests.sandbox.hubspot.conftest import Seeded, Sim


def test_apps_are_listed(sim: Sim) -> None:
    created = sim.control("POST", "apps", json={"redirect_uris": ["https://a.example/cb"],
                                                "webhook_url": "https://a.example/hooks"})
    assert created.status_code == 201 and set(created.json()) == {"app_id", "client_id", "client_secret"}
    listed = sim.control("GET", "apps").json()["results"]
    assert listed[0]["webhook_url"] == "https://a.example/hooks"
    assert sim.control("POST", "apps", json={"redirect_uris": "nope"}).status_code == 400


def test_stats_count_per_endpoint_and_portal(seeded: Seeded) -> None:
    seeded.api("GET", "/crm/v3/objects/deals")
    seeded.api("GET", "/crm/v3/objects/contacts")
    snapshot = seeded.sim.control("GET", "stats").json()
    assert snapshot["endpoints"]["GET /crm/v3/objects/<object_type>"] == {str(seeded.portal_id): 2}
    seeded.sim.control("DELETE", "stats")
    assert seeded.sim.control("GET", "stats").json()["total"] == 0


def test_faults(seeded: Seeded) -> None:
    sim = seeded.sim
    sim.control("POST", "faults", json={"status": 503, "rate": 1.0, "path_prefix": "/crm/v3/objects/deals"})
    failed = seeded.api("GET", "/crm/v3/objects/deals")
    assert failed.status_code == 503 and failed.json()["category"] == "INTERNAL_ERROR"
    assert seeded.api("GET", "/crm/v3/objects/contacts").status_code == 200
    sim.control("POST", "faults", json={"status": 429})
    assert seeded.api("GET", "/crm/v3/objects/contacts").json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert sim.control("DELETE", "faults").status_code == 204
    assert seeded.api("GET", "/crm/v3/objects/deals").status_code == 200


def test_clock(sim: Sim) -> None:
    before = sim.control("GET", "clock").json()["now"]
    after = sim.control("POST", "clock", json={"advance_seconds": 3600}).json()["now"]
    assert after - before >= 3600
    assert sim.control("POST", "clock", json={"advance_seconds": -1}).status_code == 400


def test_a_lost_answer_is_carried_out_but_answered_504(seeded: Seeded) -> None:
    sim = seeded.sim
    sim.control("POST", "faults", json={"status": 0, "lost_rate": 1.0, "methods": ["POST"],
                                        "path_prefix": "/crm/v3/objects/notes", "seed": 7})
    lost = seeded.api("POST", "/crm/v3/objects/notes", json={"properties": {"hs_note_body": "hello",
                                                                            "hs_timestamp": "1700000000000"}})
    assert lost.status_code == 504
    assert sim.control("GET", "faults").json()["fault"]["injected"]["lost"] == 1
    sim.control("DELETE", "faults")
    listed = seeded.api("GET", "/crm/v3/objects/notes?properties=hs_note_body").json()["results"]
    assert [n["properties"]["hs_note_body"] for n in listed] == ["hello"]
