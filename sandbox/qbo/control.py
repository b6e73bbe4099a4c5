"""The /_sandbox control API: set up apps and companies, consent headlessly, inspect and bend the simulator."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from sandbox.qbo.oauth import OAuthError
from sandbox.simkit.http import BadJson, read_json

if TYPE_CHECKING:
    from sandbox.qbo.app import QboSimulator

RULES = [
    Rule("/_sandbox/apps", endpoint="control_apps", methods=["GET", "POST"]),
    Rule("/_sandbox/apps/<client_id>", endpoint="control_app", methods=["GET", "PATCH"]),
    Rule("/_sandbox/companies", endpoint="control_companies", methods=["GET", "POST"]),
    Rule("/_sandbox/companies/<realm>", endpoint="control_company", methods=["GET"]),
    Rule("/_sandbox/companies/<realm>/emails", endpoint="control_emails", methods=["GET"]),
    Rule("/_sandbox/companies/<realm>/exchange-rates", endpoint="control_rates", methods=["GET", "POST"]),
    Rule("/_sandbox/authorize", endpoint="control_authorize", methods=["POST"]),
    Rule("/_sandbox/stats", endpoint="control_stats", methods=["GET", "DELETE"]),
    Rule("/_sandbox/faults", endpoint="control_faults", methods=["GET", "POST", "DELETE"]),
    Rule("/_sandbox/clock", endpoint="control_clock", methods=["GET", "POST"]),
    Rule("/_sandbox/config", endpoint="control_config", methods=["GET", "POST"]),
    Rule("/_sandbox/webhooks/deliveries", endpoint="control_deliveries", methods=["GET"]),
    Rule("/_sandbox/webhooks/flush", endpoint="control_flush", methods=["POST"]),
    Rule("/_sandbox/reset", endpoint="control_reset", methods=["POST"]),
]


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _ok(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


def _flag(value: Any) -> bool:
    """A JSON boolean; the strings "true"/"false" are read as such rather than by truthiness."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _company_summary(sim: QboSimulator, realm: str) -> dict[str, Any]:
    company = sim.state.companies.get(realm)
    if company is None:
        raise ControlError(404, f"unknown realm {realm}")
    return {"realm_id": company.realm_id, "name": company.name, "country": company.country,
            "home_currency": company.home_currency, "multicurrency": company.multicurrency,
            "custom_txn_numbers": company.custom_txn_numbers, "sandbox": company.sandbox,
            "counts": {kind: len(items) for kind, items in company.entities.items()}}


def handle(sim: QboSimulator, endpoint: str, request: Request, args: dict[str, str]) -> Response:
    try:
        body = read_json(request) if request.method in ("POST", "PATCH") else {}
        if not isinstance(body, dict):
            raise ControlError(400, "the body must be a JSON object")
        return _handle(sim, endpoint, request, args, body)
    except BadJson as exc:
        return _ok({"error": str(exc)}, 400)
    except ControlError as exc:
        return _ok({"error": str(exc)}, exc.status)
    except OAuthError as exc:
        return _ok(exc.body, exc.status)
    except (KeyError, ValueError, TypeError) as exc:
        return _ok({"error": f"bad request: {exc}"}, 400)


def _handle(sim: QboSimulator, endpoint: str, request: Request, args: dict[str, str],
            body: dict[str, Any]) -> Response:
    state = sim.state
    if endpoint == "control_apps":
        if request.method == "GET":
            return _ok({"apps": [app.public() for app in state.apps.values()]})
        uris = body.get("redirect_uris")
        if not isinstance(uris, list) or not uris:
            raise ControlError(400, "redirect_uris must be a non-empty list")
        app = state.create_app([str(u) for u in uris], body.get("webhook_url"),
                               str(body.get("webhook_format", "cloudevents")), str(body.get("name", "Sandbox app")),
                               body.get("webhook_content_type"))
        return _ok(app.public(), 201)
    if endpoint == "control_app":
        found = state.apps.get(args["client_id"])
        if found is None:
            raise ControlError(404, "unknown client_id")
        if request.method == "PATCH":
            with state.lock:
                for key in ("webhook_url", "webhook_format", "webhook_content_type", "redirect_uris", "name"):
                    if key in body:
                        setattr(found, key, body[key])
        return _ok(found.public())
    if endpoint == "control_companies":
        if request.method == "GET":
            return _ok({"companies": [_company_summary(sim, realm) for realm in list(state.companies)]})
        company = state.create_company(
            name=str(body.get("name", "Sandbox Company")), country=str(body.get("country", "US")),
            home_currency=body.get("home_currency"), multicurrency=bool(body.get("multicurrency", False)),
            custom_txn_numbers=bool(body.get("custom_txn_numbers", False)), sandbox=_flag(body.get("sandbox", False)),
            realm_id=str(body["realm_id"]) if body.get("realm_id") else None)
        return _ok({"realm_id": company.realm_id, **_company_summary(sim, company.realm_id)}, 201)
    if endpoint == "control_company":
        return _ok(_company_summary(sim, args["realm"]))
    if endpoint == "control_emails":
        _company_summary(sim, args["realm"])
        return _ok({"emails": list(state.companies[args["realm"]].emails)})
    if endpoint == "control_rates":
        _company_summary(sim, args["realm"])
        company = state.companies[args["realm"]]
        if request.method == "POST":
            with state.lock:
                company.exchange_rates.update({str(k).upper(): float(v) for k, v in body.items()})
        return _ok({"home_currency": company.home_currency, "rates": company.exchange_rates})
    if endpoint == "control_authorize":
        params = {k: str(body.get(k, "")) for k in ("client_id", "redirect_uri", "response_type", "scope", "state")}
        params["response_type"] = params["response_type"] or "code"
        if body.get("deny"):
            return _ok({"redirect": sim.oauth.deny(params)})
        realm = body.get("realm_id")
        return _ok({"redirect": sim.oauth.approve(params, str(realm) if realm else None)})
    if endpoint == "control_stats":
        if request.method == "DELETE":
            state.stats.reset()
        return _ok(state.stats.snapshot())
    if endpoint == "control_faults":
        if request.method == "DELETE":
            state.faults.clear()
        elif request.method == "POST":
            state.faults.configure(int(body.get("status", 0)), float(body.get("rate", 1.0)),
                                   int(body.get("latency_ms", 0)), str(body.get("path_prefix", "/")),
                                   lost_rate=float(body.get("lost_rate", 0.0)),
                                   methods=tuple(str(m) for m in body.get("methods") or ()),
                                   seed=int(body["seed"]) if body.get("seed") is not None else None)
        return _ok({"fault": state.faults.describe()})
    if endpoint == "control_clock":
        if request.method == "POST":
            state.clock.advance(float(body.get("advance_seconds", 0)))
            sim.webhooks.wake()
        return _ok({"now": state.clock.now(), "offset_seconds": state.clock.offset})
    if endpoint == "control_config":
        if request.method == "POST":
            try:
                state.apply_config(body)
            except KeyError as exc:
                raise ControlError(400, f"unknown setting {exc}") from exc
        return _ok(state.config.as_dict())
    if endpoint == "control_deliveries":
        return _ok({"deliveries": sim.webhooks.deliveries(request.args.get("client_id"))})
    if endpoint == "control_flush":
        idle = sim.webhooks.wait_idle(float(body.get("timeout_seconds", 5.0)))
        return _ok({"idle": idle, "deliveries": sim.webhooks.deliveries()})
    if endpoint == "control_reset":
        state.reset()
        return _ok({"reset": True})
    raise ControlError(404, "unknown control endpoint")
