"""HubSpot signatures against HubSpot's published test vectors (api-facts §H2) and the URI-decoding rule."""

from __future__ import annotations

import base64

import pytest

from hubbooks.api.hubspot_signature import (
    SignatureRejected,
    decode_uri_for_signing,
    public_url_of,
    raw_body_of,
    sign_v1,
    sign_v2,
    sign_v3,
    verify_v3,
)

DOC_SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
V1_BODY = ('[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,'
           '"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM",'
           '"changeFlag":"NEW","appId":54321}]')


def test_v1_matches_hubspot_docs_vector() -> None:
    assert sign_v1(DOC_SECRET, V1_BODY) == "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"


def test_v2_matches_hubspot_docs_vectors() -> None:
    assert sign_v2(DOC_SECRET, "GET", "https://www.example.com/webhook_uri", "") == (
        "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e")
    assert sign_v2(DOC_SECRET, "POST", "https://www.example.com/webhook_uri", '{"example_field":"example_value"}') == (
        "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900")


def test_v3_matches_reference_vector() -> None:
    assert sign_v3("s3cr3t", "POST", "https://example.com/webhook", '[{"eventId":1}]', 1700000000000) == (
        "AIa7E2SpY0GpycmxeIo/z2NgqerkpvAJ0Ok3gzrCEo0=")


def test_uri_decoding_covers_hubspots_list_only() -> None:
    encoded = "https://x.test/p?a=%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B&b=%20%26"
    assert decode_uri_for_signing(encoded) == "https://x.test/p?a=:/?@!$'()*,;&b=%20%26"
    assert decode_uri_for_signing("https://x.test/?email=a%40b.com") == "https://x.test/?email=a@b.com"
    assert decode_uri_for_signing("%3a") == ":"


def test_signature_over_encoded_uri_verifies_against_decoded_form() -> None:
    uri = "https://api.test/app/context?userEmail=jane%40example.com&portalId=1&userId=2"
    signature = sign_v3("secret", "GET", "https://api.test/app/context?userEmail=jane@example.com&portalId=1&userId=2",
                        "", 1000)
    verify_v3(client_secret="secret", method="GET", uri=uri, body=b"", timestamp="1000", signature=signature,
              now_ms=1000, max_age_seconds=300)


@pytest.mark.parametrize(
    ("timestamp", "signature", "now_ms", "reason"),
    [
        ("1700000000000", None, 1700000000000, "header is missing"),
        (None, "AIa7E2SpY0GpycmxeIo/z2NgqerkpvAJ0Ok3gzrCEo0=", 1700000000000, "Timestamp header is missing"),
        ("1700000000000", "AIa7E2SpY0GpycmxeIo/z2NgqerkpvAJ0Ok3gzrCEo0=", 1700000000000 + 301_000, "older than"),
        ("1700000000000", "AAAAE2SpY0GpycmxeIo/z2NgqerkpvAJ0Ok3gzrCEo0=", 1700000000000, "does not match"),
        ("yesterday", "AIa7E2SpY0GpycmxeIo/z2NgqerkpvAJ0Ok3gzrCEo0=", 1700000000000, "milliseconds"),
        ("1700000400000", "AIa7E2SpY0GpycmxeIo/z2NgqerkpvAJ0Ok3gzrCEo0=", 1700000000000, "future"),
    ],
)
def test_verify_rejects_bad_requests(timestamp, signature, now_ms, reason) -> None:
    with pytest.raises(SignatureRejected, match=reason):
        verify_v3(client_secret="s3cr3t", method="POST", uri="https://example.com/webhook", body='[{"eventId":1}]',
                  timestamp=timestamp, signature=signature, now_ms=now_ms, max_age_seconds=300)


def test_verify_accepts_within_five_minutes() -> None:
    verify_v3(client_secret="s3cr3t", method="POST", uri="https://example.com/webhook", body=b'[{"eventId":1}]',
              timestamp="1700000000000", signature="AIa7E2SpY0GpycmxeIo/z2NgqerkpvAJ0Ok3gzrCEo0=",
              now_ms=1700000000000 + 299_000, max_age_seconds=300)


def test_public_url_is_rebuilt_from_http_api_event() -> None:
    event = {"rawPath": "/app/context", "rawQueryString": "portalId=1&userId=2",
             "headers": {"host": "abc.execute-api.us-east-1.amazonaws.com", "x-forwarded-proto": "https"},
             "requestContext": {"domainName": "abc.execute-api.us-east-1.amazonaws.com"}}
    assert public_url_of(event) == "https://abc.execute-api.us-east-1.amazonaws.com/app/context?portalId=1&userId=2"
    local = {"rawPath": "/x", "rawQueryString": "", "headers": {"host": "127.0.0.1:3000", "x-forwarded-proto": "http"}}
    assert public_url_of(local) == "http://127.0.0.1:3000/x"
    no_host = {"rawPath": "/x", "headers": {}, "requestContext": {"domainName": "api.example.com"}}
    assert public_url_of(no_host) == "https://api.example.com/x"


def test_raw_body_decodes_base64_payloads() -> None:
    assert raw_body_of({"body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True}) == b"\x00\x01"
    assert raw_body_of({"body": '{"a":1}', "isBase64Encoded": False}) == b'{"a":1}'
    assert raw_body_of({}) == b""
