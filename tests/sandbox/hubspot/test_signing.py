"""Signature helpers against HubSpot's published vectors (api-facts H2)."""

from sandbox.hubspot.signing import decode_uri_for_v3, sign_v1, sign_v2, sign_v3

SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
V1_BODY = ('[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,'
           '"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM",'
           '"changeFlag":"NEW","appId":54321}]')


def test_v1_vector() -> None:
    assert sign_v1(SECRET, V1_BODY) == "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"


def test_v2_vectors() -> None:
    assert sign_v2(SECRET, "GET", "https://www.example.com/webhook_uri", "") == (
        "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e")
    assert sign_v2(SECRET, "POST", "https://www.example.com/webhook_uri", '{"example_field":"example_value"}') == (
        "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900")


def test_v3_vector() -> None:
    assert sign_v3("s3cr3t", "POST", "https://example.com/webhook", '[{"eventId":1}]', 1700000000000) == (
        "AIa7E2SpY0GpycmxeIo/z2NgqerkpvAJ0Ok3gzrCEo0=")


def test_v3_decodes_listed_escapes_only() -> None:
    assert decode_uri_for_v3("https://x.io/a?email=a%40b.com&t=%3A%2F%20") == "https://x.io/a?email=a@b.com&t=:/%20"
    assert sign_v3("s", "GET", "https://x.io/?e=a%40b", "", 1) == sign_v3("s", "GET", "https://x.io/?e=a@b", "", 1)
