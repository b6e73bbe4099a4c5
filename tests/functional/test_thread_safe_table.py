"""Queries with condition objects from several threads at once: each worker thread talks through its own boto3
resource (a shared one builds every condition expression with one builder, so concurrent queries could mix up their
placeholders)."""

from __future__ import annotations

import threading

from boto3.dynamodb.conditions import Key

from hubbooks.adapters.aws.clients import dynamodb_table, thread_safe_table
from hubbooks.adapters.parallel_calls import run_all
from hubbooks.config import get_settings


def test_worker_threads_query_through_their_own_resources(aws) -> None:
    name = get_settings().app_table_name
    table = thread_safe_table(name)
    for n in range(20):
        table.put_item(Item={"pk": f"PORTAL#{n % 4}", "sk": f"ITEM#{n:02d}", "n": n})
    meeting = threading.Barrier(4, timeout=10)

    def query(portal: int) -> tuple[list[int], int]:
        meeting.wait()
        items = table.query(KeyConditionExpression=Key("pk").eq(f"PORTAL#{portal}") & Key("sk").begins_with("ITEM#"),
                            ConsistentRead=True)["Items"]
        return sorted(int(item["n"]) for item in items), id(table.meta.client)

    answers = run_all([lambda portal=portal: query(portal) for portal in range(4)])

    assert [numbers for numbers, _ in answers] == [[p + 4 * k for k in range(5)] for p in range(4)]
    assert answers[0][1] == id(dynamodb_table(name).meta.client)  # the caller's thread uses the cached table
    assert len({client for _, client in answers}) == 4
