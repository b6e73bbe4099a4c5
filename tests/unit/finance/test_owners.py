"""Owners for pickers and for assigning tasks to HubSpot users, over a fake directory."""

from __future__ import annotations

import pytest

from hubbooks.domain.finance.owners import owner_ids_of_users, owner_options, require_active_owner
from hubbooks.domain.invoicing.errors import InvoiceRejectedError
from hubbooks.models.owners import HubSpotOwner
from tests.unit.finance.owner_fakes import FakeOwnerDirectory


def test_options_are_active_owners_by_name_with_a_readable_fallback() -> None:
    directory = FakeOwnerDirectory()
    directory.add("30", 3, "zoe", "Ledger")
    directory.add("10", 1, "Ann", "Books", "ann@books.example")
    directory.add("20", None, email="queue@books.example")  # no name: shown by e-mail
    directory.add("40", 4, "Old", "Hand", archived=True)
    directory.add("50", None)
    view = owner_options(directory)
    assert [(o.owner_id, o.name, o.user_id) for o in view.owners] == [
        ("10", "Ann Books", 1), ("50", "Owner 50", None), ("20", "queue@books.example", None),
        ("30", "zoe Ledger", 3)]


def test_owner_ids_of_a_few_users_are_looked_up_one_by_one_and_of_many_listed_once() -> None:
    directory = FakeOwnerDirectory()
    for n in range(1, 6):
        directory.add(str(100 + n), n)
    directory.add("199", 9, archived=True)
    assert owner_ids_of_users(directory, [2, 9, 2]) == {2: "102"}
    assert directory.calls == ["user 2", "user 9"]
    directory.calls.clear()
    assert owner_ids_of_users(directory, [1, 2, 3, 4, 9]) == {1: "101", 2: "102", 3: "103", 4: "104"}
    assert directory.calls == ["list"]


def test_the_owner_model_reads_hubspots_public_owner() -> None:
    owner = HubSpotOwner.model_validate({"id": "41629779", "email": "email@hubspot.com", "type": "PERSON",
                                         "firstName": "HubSpot", "lastName": "Test Owner", "userId": 9586504,
                                         "userIdIncludingInactive": 9586504, "archived": False, "teams": []})
    assert (owner.id, owner.user_id, owner.display_name) == ("41629779", 9586504, "HubSpot Test Owner")


def test_only_an_active_owner_may_be_chosen() -> None:
    directory = FakeOwnerDirectory()
    directory.add("10", 1, "Ann", "Books")
    directory.add("40", 4, "Old", "Hand", archived=True)
    require_active_owner(directory, "10", "finance_owner_id", "finance user")
    for unknown in ("40", "99"):
        with pytest.raises(InvoiceRejectedError) as refused:
            require_active_owner(directory, unknown, "finance_owner_id", "finance user")
        assert f"owner id {unknown}" in refused.value.message
        assert [p.field for p in refused.value.problems] == ["finance_owner_id"]
