"""The owners API (read-only): every user of the portal is an owner; a deactivated user's owner is archived.

Shapes follow HubSpot's PublicOwner (required: id, type, createdAt, updatedAt, archived). `id` is the owner id
records and tasks are assigned to; `userId` is the user id HubSpot's signed requests carry, absent once the user is
deactivated (`userIdIncludingInactive` keeps it).
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sandbox.hubspot.errors import not_found, validation
from sandbox.hubspot.propdefs import iso_ms
from sandbox.hubspot.routing import OWNERS_PREFIXES, Ctx, Route
from sandbox.hubspot.state import User
from sandbox.simkit.http import json_response

OWNERS_SCOPE = "crm.objects.owners"
MAX_PAGE = 500
DEFAULT_PAGE = 100


def owner_json(user: User) -> dict[str, Any]:
    out: dict[str, Any] = {"id": user.owner_id, "email": user.email, "type": "PERSON", "firstName": user.first_name,
                           "lastName": user.last_name, "userIdIncludingInactive": user.user_id,
                           "createdAt": iso_ms(user.created_ms), "updatedAt": iso_ms(user.updated_ms),
                           "archived": user.archived, "teams": []}
    if not user.archived:
        out["userId"] = user.user_id
    return out


def list_owners(ctx: Ctx, version: str) -> Response:
    ctx.require_scope(OWNERS_SCOPE, write=False)
    portal = ctx.need_portal()
    limit = ctx.query_int("limit", DEFAULT_PAGE, MAX_PAGE)
    archived = ctx.query_bool("archived")
    email = (ctx.request.args.get("email") or "").strip().lower()
    after = ctx.request.args.get("after")
    with ctx.sim.state.lock:
        users = sorted((u for u in portal.users if u.archived == archived and (not email or u.email.lower() == email)),
                       key=lambda u: int(u.owner_id))
    if after:
        users = [u for u in users if int(u.owner_id) > int(after)] if after.isdigit() else []
    page, more = users[:limit], len(users) > limit
    out: dict[str, Any] = {"results": [owner_json(u) for u in page]}
    if more:
        out["paging"] = {"next": {"after": page[-1].owner_id, "link": f"?after={page[-1].owner_id}"}}
    return json_response(out)


def read_owner(ctx: Ctx, owner_id: str, version: str) -> Response:
    ctx.require_scope(OWNERS_SCOPE, write=False)
    portal = ctx.need_portal()
    id_property = ctx.request.args.get("idProperty", "id")
    if id_property not in ("id", "userId"):
        raise validation(f"idProperty must be id or userId, not {id_property!r}")
    archived = ctx.query_bool("archived")
    with ctx.sim.state.lock:
        found = next((u for u in portal.users
                      if (u.owner_id if id_property == "id" else str(u.user_id)) == owner_id
                      and u.archived == archived), None)
    if found is None:
        raise not_found(f"No owner with {id_property} {owner_id} found.")
    return json_response(owner_json(found))


def routes() -> list[Route]:
    out: list[Route] = []
    for version, prefix in OWNERS_PREFIXES.items():
        out += [Route(f"{prefix}/", ("GET",), list_owners, defaults={"version": version}),
                Route(f"{prefix}/<owner_id>", ("GET",), read_owner, defaults={"version": version})]
    return out
