"""Small HTML pages for people who land on our URLs in a browser (OAuth callbacks): plain words, no scripts."""

from __future__ import annotations

from html import escape
from typing import Literal

from aws_lambda_powertools.event_handler import Response, content_types

Tone = Literal["success", "info", "error"]
_COLOURS = {"success": "#00a86b", "info": "#2d6cdf", "error": "#c0392b"}


def page(title: str, message: str, *, tone: Tone = "info", status_code: int = 200,
         detail: str | None = None) -> Response:
    detail_html = f"<p class=detail>{escape(detail)}</p>" if detail else ""
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{escape(title)} - HubBooks</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#33475b}}
h1{{color:{_COLOURS[tone]};font-size:1.5rem}}.detail{{color:#7c98b6;font-size:.9rem}}</style></head>
<body><main data-outcome="{tone}"><h1>{escape(title)}</h1><p>{escape(message)}</p>{detail_html}
<p>You can close this tab and return to HubSpot.</p></main></body></html>"""
    return Response(status_code=status_code, content_type=content_types.TEXT_HTML, body=body,
                    headers={"Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; "
                             "style-src 'unsafe-inline'", "X-Frame-Options": "DENY"})


def redirect(location: str) -> Response:
    return Response(status_code=302, headers={"Location": location, "Cache-Control": "no-store"}, body="")
