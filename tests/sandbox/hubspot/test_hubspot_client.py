"""HubSpot's own Python client (hubspot-api-client 12) against the simulator, changing only the base URL."""

from __future__ import annotations

import hubspot
import pytest
from hubspot.crm.contacts import BatchInputSimplePublicObjectBatchInputForCreate, SimplePublicObjectBatchInputForCreate
from hubspot.crm.deals import Filter, FilterGroup, PublicObjectSearchRequest, SimplePublicObjectInputForCreate
from hubspot.crm.deals import SimplePublicObjectInput as DealInput
from hubspot.crm.deals.exceptions import ApiException

from tests.sandbox.hubspot.conftest import Seeded, assert_no_violations


@pytest.fixture
def client(seeded: Seeded) -> hubspot.Client:
    return hubspot.Client.create(access_token=seeded.token, host=seeded.sim.url)


def test_create_update_search_with_the_library(seeded: Seeded, client: hubspot.Client) -> None:
    deal = client.crm.deals.basic_api.create(SimplePublicObjectInputForCreate(
        properties={"dealname": "Library deal", "amount": "500", "dealstage": "contractsent"}, associations=[]))
    assert deal.id and deal.properties["dealname"] == "Library deal"
    client.crm.deals.basic_api.update(deal.id, DealInput(properties={"amount": "750"}))
    found = client.crm.deals.search_api.do_search(PublicObjectSearchRequest(
        filter_groups=[FilterGroup(filters=[Filter(property_name="amount", operator="GTE", value="700")])],
        sorts=["amount"], properties=["dealname", "amount"], limit=10, after="0"))
    assert found.total == 1 and found.results[0].properties["amount"] == "750"
    page = client.crm.deals.basic_api.get_page(limit=5, properties=["dealname"])
    assert [d.id for d in page.results] == [deal.id]
    with pytest.raises(ApiException) as failure:
        client.crm.deals.basic_api.create(SimplePublicObjectInputForCreate(properties={"nope": "1"},
                                                                           associations=[]))
    assert failure.value.status == 400
    assert_no_violations(seeded.sim)


def test_batch_and_associations_with_the_library(seeded: Seeded, client: hubspot.Client) -> None:
    created = client.crm.contacts.batch_api.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=[
        SimplePublicObjectBatchInputForCreate(properties={"email": f"lib{i}@x.io"}, associations=[])
        for i in range(3)]))
    assert len(created.results) == 3
    deal = client.crm.deals.basic_api.create(SimplePublicObjectInputForCreate(properties={"dealname": "A"},
                                                                             associations=[]))
    for contact in created.results:
        client.crm.associations.v4.basic_api.create_default("deals", deal.id, "contacts", contact.id)
    page = client.crm.associations.v4.basic_api.get_page("deals", deal.id, "contacts")
    assert sorted(str(r.to_object_id) for r in page.results) == sorted(c.id for c in created.results)
    labels = client.crm.associations.v4.schema.definitions_api.get_all("deals", "contacts")
    assert [label.type_id for label in labels.results] == [3]
    props = client.crm.properties.core_api.get_all("deals")
    assert "deal_currency_code" in {p.name for p in props.results}
    assert_no_violations(seeded.sim)
