"""The request guard's body checks and the replay rule, without AWS."""

from __future__ import annotations

import pytest

from hubbooks.api.request_guard import BodyRejected, bounded_body, check_json_body, json_nesting_depth
from hubbooks.domain.auth.replay import accept_once


@pytest.mark.parametrize(("text", "depth"), [
    ("1", 0), ("[]", 1), ('{"a": [1, {"b": []}]}', 4), ('["[[[[", "\\"[[["]', 1), ('{"a": "}}}}{{{{"}', 1),
    ("[" * 100_000, 100_000),
])
def test_nesting_depth_ignores_brackets_in_strings(text: str, depth: int) -> None:
    assert json_nesting_depth(text) == depth


def test_json_body_checks() -> None:
    check_json_body(b"")
    check_json_body(b'{"lines": [{"quantity": "1"}]}')
    for bad in (b"[" * 33 + b"]" * 33, b"{not json", b"\xff", b"[1,]"):
        with pytest.raises(BodyRejected) as rejected:
            check_json_body(bad)
        assert rejected.value.status_code == 400


def test_body_size_is_checked_before_decoding() -> None:
    with pytest.raises(BodyRejected) as rejected:
        bounded_body({"body": "x" * 11}, 10)
    assert rejected.value.status_code == 413
    assert bounded_body({"body": "eyJhIjoxfQ==", "isBase64Encoded": True}, 10) == b'{"a":1}'


class FakeUsedSignatures:
    def __init__(self) -> None:
        self.records: dict[str, int] = {}

    def record_first_use(self, signature_digest: str, *, remember_until: int, now: int) -> bool:
        if self.records.get(signature_digest, 0) >= now:
            return False
        self.records[signature_digest] = remember_until
        return True


def test_a_state_changing_signature_is_accepted_once_until_it_could_no_longer_verify() -> None:
    used = FakeUsedSignatures()
    stamp_ms = 1_800_000_000_000

    def accept(method: str, now: int, signature: str = "sig") -> bool:
        return accept_once(used, method=method, signature=signature, timestamp_ms=stamp_ms, max_age_seconds=300,
                           now=now)

    assert accept("POST", 1_800_000_000) and not accept("POST", 1_800_000_299)
    assert accept("DELETE", 1_800_000_001)  # another method is another request
    assert accept("GET", 1_800_000_002) and accept("GET", 1_800_000_003)  # reads change nothing
    assert accept("POST", 1_800_000_000, signature="other")
    assert accept("POST", 1_800_000_000 + 300 + 61)  # long after the signature stopped verifying
