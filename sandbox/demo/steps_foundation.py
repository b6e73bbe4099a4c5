"""Foundation: the stack comes up and a signed app-card request is answered (schedules run last: steps_schedules)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from sandbox.demo.framework import Demo, Step, short_json
from sandbox.stack import http_json

ORDER = 0


def stack_up(demo: Demo) -> str:
    health = demo.stack.wait_healthy(timeout=30)
    description = demo.stack.describe()
    demo.say(f"API gateway     {description['gateway_url']}  ({len(demo.stack.routes())} routes from template.yaml)")
    demo.say(f"AWS (moto)      {description['aws_url']}  tables {', '.join(description['resources']['tables'])}")
    demo.say(f"QuickBooks sim  {description['qbo_url']}  our app's client id {description['qbo_app']['client_id']}")
    demo.say(f"HubSpot sim     {description['hubspot_url']}  our app id {description['hubspot_app']['app_id']}")
    demo.facts["hubspot_app_id"] = description["hubspot_app"]["app_id"]
    up = ", ".join(f"{name} {state}" for name, state in health["dependencies"].items())
    return f"the sandbox is up in {description['startup_s']}s ({up})"


def signed_app_card_request(demo: Demo) -> str:
    hubspot, gateway = demo.stack.hubspot_url, demo.stack.gateway_url
    status, portal = http_json("POST", f"{hubspot}/_sandbox/portals", {"company_currency": "USD"})
    demo.check(status == 201, f"the HubSpot simulator refused to create a portal: {status} {portal}")
    app_id = demo.facts["hubspot_app_id"]
    status, answer = http_json("POST", f"{hubspot}/_sandbox/installs", {"app_id": app_id, "portal_id":
                                                                          portal["portal_id"]})
    demo.check(status < 300, f"installing our app in the portal failed: {status} {answer}")
    demo.facts["portal_id"], demo.facts["user_id"] = portal["portal_id"], portal["user_id"]
    demo.say(f"created HubSpot portal {portal['portal_id']} (user {portal['user_id']}) with our app installed")
    status, fetched = http_json("POST", f"{hubspot}/_sandbox/fetch", {
        "app_id": app_id, "portal_id": portal["portal_id"], "user_id": portal["user_id"], "method": "GET",
        "url": f"{gateway}/app/context"})
    demo.check(status == 200, f"the simulator could not make the app-card fetch: {status} {fetched}")
    body: Any = fetched.get("body")
    demo.say(f"hubspot.fetch GET {urlparse(fetched.get('url', '')).path} (signed) -> {fetched['status']} "
             f"{short_json(body)}")
    demo.check(fetched["status"] == 200, f"our API refused HubSpot's signed request with {fetched['status']}")
    demo.check(isinstance(body, dict) and body.get("portal_id") == portal["portal_id"]
               and body.get("user_id") == portal["user_id"],
               f"the API saw a different portal/user than the simulator sent: {short_json(body)}")
    status, refused = http_json("GET", f"{gateway}/app/context?portalId={portal['portal_id']}"
                                       f"&userId={portal['user_id']}")
    message = refused.get("message", refused) if isinstance(refused, dict) else refused
    demo.say(f"the same request without HubSpot's signature -> {status} {short_json(message, 100)}")
    demo.check(status == 401, f"an unsigned request was answered {status} instead of 401")
    return (f"the API saw portal {body['portal_id']} and user {body['user_id']}; "
            f"{len(body.get('qbo_connections', []))} QuickBooks connections; unsigned requests get 401")


STEPS = [
    Step("Start the sandbox: moto, the QuickBooks and HubSpot simulators, the gateway", stack_up),
    Step("A HubSpot app card calls our API with a signed request", signed_app_card_request,
         needs=("hubspot_app_id",)),
]
