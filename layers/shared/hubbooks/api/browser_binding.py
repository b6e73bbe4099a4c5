"""OAuth flows finish in the browser that started them.

Without this, someone could start a flow from their own account, stop at the provider's consent page and send that
link to someone else, whose approval would then land in the sender's account. The start sets an HttpOnly,
SameSite=Lax cookie holding a digest of the state, scoped to the callback path (Secure whenever the API is served
over https); the callback accepts only a state whose digest the browser presents.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from hubbooks.api.html_pages import page, redirect
from hubbooks.config import get_settings
from hubbooks.domain.auth.constant_time import as_bytes, matches

COOKIE_LIFETIME_SECONDS = 1800


def _digest(state: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(as_bytes(state)).digest()[:18]).decode()


def redirect_binding_state(authorize_url: str, *, cookie: str, callback_path: str) -> Response[str]:
    """Redirect to the provider's authorize URL, remembering its state in this browser."""
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    secure = str(get_settings().public_base_url).startswith("https://")
    response = redirect(authorize_url)
    response.cookies.append(Cookie(name=cookie, value=_digest(state), path=callback_path, secure=secure,
                                   http_only=True, max_age=COOKIE_LIFETIME_SECONDS, same_site=SameSite.LAX_MODE))
    return response


def started_in_this_browser(event: BaseProxyEvent, *, cookie: str, state: str) -> bool:
    presented = event.resolved_cookies_field.get(cookie, "") if hasattr(event, "resolved_cookies_field") else ""
    return bool(presented) and matches(presented, _digest(state))


def another_browser_page(start_again: str) -> Response[str]:
    return page("This was started in another browser", "For your security, finish in the same browser where you "
                f"started. {start_again}", tone="error", status_code=400)
