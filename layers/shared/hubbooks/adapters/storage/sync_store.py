"""DynamoDB storage of the sync: settings per object, mapping statistics, record links, decisions and admins.

A company's settings for one object (behaviour and every mapping) are one item written conditionally on its
version, so two admins saving at once cannot lose each other's changes silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import BATCH_GET_LIMIT, batch_get, query_all
from hubbooks.adapters.storage.run_records import DynamoRunRecords
from hubbooks.adapters.storage.sync_link_store import DynamoSyncLinks as DynamoSyncLinks
from hubbooks.domain.sync.errors import SyncConfigChangedError
from hubbooks.models.sync import (
    BackfillRun,
    MappingStats,
    PendingDecision,
    SyncConfig,
    SyncFailure,
    SyncObject,
)


def _is_conditional_failure(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class DynamoSyncConfigStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> SyncConfig | None:
        item = self._table.get_item(Key=table_keys.sync_config_key(portal_id, realm_id, sync_object.value),
                                    ConsistentRead=True).get("Item")
        return SyncConfig.model_validate_json(item["config"]) if item else None

    def save(self, config: SyncConfig) -> SyncConfig:
        saved = config.model_copy(update={"version": config.version + 1})
        condition = Attr("pk").not_exists() if config.version == 0 else Attr("version").eq(config.version)
        try:
            self._table.put_item(
                Item={**table_keys.sync_config_key(config.portal_id, config.realm_id, config.object.value),
                      "type": "sync_config", "version": saved.version, "enabled": saved.behaviour.enabled,
                      "config": saved.model_dump_json()},
                ConditionExpression=condition)
        except ClientError as error:
            if _is_conditional_failure(error):
                raise SyncConfigChangedError("These settings were changed by someone else since you opened them; "
                                             "reload and try again.") from error
            raise
        return saved


class CompanySyncConfigs:
    """A company's settings for every object in one batch read, remembered by a store built per batch of changes (or
    per run): a batch feeding contacts and companies reads them once. Saving drops what was remembered."""

    def __init__(self, table: Any) -> None:
        self._table = table
        self._seen: dict[tuple[int, str], dict[SyncObject, SyncConfig]] = {}

    def get(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> SyncConfig | None:
        key = (portal_id, realm_id)
        if key not in self._seen:
            items = batch_get(self._table, [table_keys.sync_config_key(portal_id, realm_id, o.value)
                                            for o in SyncObject])
            configs = (SyncConfig.model_validate_json(item["config"]) for item in items)
            self._seen[key] = {config.object: config for config in configs}
        return self._seen[key].get(sync_object)

    def save(self, config: SyncConfig) -> SyncConfig:
        self._seen.pop((config.portal_id, config.realm_id), None)
        return DynamoSyncConfigStore(self._table).save(config)


class DynamoMappingStatsStore:
    """One item per company and object, one set of attributes per mapping: a batch's statistics are one write."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def stats(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> dict[str, MappingStats]:
        item = self._table.get_item(Key=table_keys.mapping_stats_key(portal_id, realm_id, sync_object.value),
                                    ConsistentRead=True).get("Item") or {}
        ids = {name.split("|", 1)[1] for name in item if "|" in name}
        return {mapping_id: MappingStats(
            records_synced=int(item.get(f"synced|{mapping_id}", 0)),
            last_success_at=item.get(f"ok_at|{mapping_id}"), last_failure_at=item.get(f"failed_at|{mapping_id}"),
            last_failure_reason=item.get(f"why|{mapping_id}")) for mapping_id in ids}

    def record_success(self, portal_id: int, realm_id: str, sync_object: SyncObject, mapping_ids: Iterable[str],
                       count: int, at: datetime) -> None:
        ids = list(dict.fromkeys(mapping_ids))
        if not ids:
            return
        names = {"#type": "type"} | {f"#n{i}": f"synced|{m}" for i, m in enumerate(ids)} | {
            f"#t{i}": f"ok_at|{m}" for i, m in enumerate(ids)}
        adds = ", ".join(f"#n{i} :n" for i in range(len(ids)))
        sets = ", ".join(f"#t{i} = :at" for i in range(len(ids)))
        self._table.update_item(
            Key=table_keys.mapping_stats_key(portal_id, realm_id, sync_object.value),
            UpdateExpression=f"ADD {adds} SET {sets}, #type = :type", ExpressionAttributeNames=names,
            ExpressionAttributeValues={":n": count, ":at": at.isoformat(), ":type": "mapping_stats"})

    def record_failure(self, portal_id: int, realm_id: str, sync_object: SyncObject, mapping_id: str,
                       reason: str, at: datetime) -> None:
        self._table.update_item(
            Key=table_keys.mapping_stats_key(portal_id, realm_id, sync_object.value),
            UpdateExpression="SET #at = :at, #why = :why, #type = :type",
            ExpressionAttributeNames={"#type": "type", "#at": f"failed_at|{mapping_id}", "#why": f"why|{mapping_id}"},
            ExpressionAttributeValues={":at": at.isoformat(), ":why": reason[:500], ":type": "mapping_stats"})


class DynamoPendingDecisions:
    def __init__(self, table: Any) -> None:
        self._table = table

    def save(self, decision: PendingDecision) -> None:
        self._table.put_item(Item={
            **table_keys.sync_decision_key(decision.portal_id, decision.realm_id, decision.object.value,
                                           decision.qbo_id),
            "type": "sync_decision", "decision": decision.model_dump_json()})

    def resolve(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_id: str) -> None:
        self._table.delete_item(Key=table_keys.sync_decision_key(portal_id, realm_id, sync_object.value, qbo_id))

    def list(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> list[PendingDecision]:
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                          & Key("sk").begins_with(table_keys.sync_decision_prefix(realm_id, sync_object.value)))
        return [PendingDecision.model_validate_json(item["decision"]) for item in items]


class DynamoSyncFailures:
    def __init__(self, table: Any) -> None:
        self._table = table

    def record(self, failure: SyncFailure) -> None:
        self._table.update_item(
            Key=table_keys.sync_failure_key(failure.portal_id, failure.realm_id, failure.object.value,
                                            failure.qbo_id),
            UpdateExpression="SET #type = :type, failure = :failure ADD attempts :one",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues={":type": "sync_failure", ":failure": failure.model_dump_json(), ":one": 1})

    def clear(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_ids: Iterable[str]) -> None:
        # Most records never failed; deleting what is not there costs a write each, so batch the deletes.
        with self._table.batch_writer() as batch:
            for qbo_id in dict.fromkeys(qbo_ids):
                batch.delete_item(Key=table_keys.sync_failure_key(portal_id, realm_id, sync_object.value, qbo_id))

    def failing(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_ids: Iterable[str]) -> set[str]:
        keys = [table_keys.sync_failure_key(portal_id, realm_id, sync_object.value, qbo_id)
                for qbo_id in dict.fromkeys(qbo_ids)]
        prefix = table_keys.sync_failure_prefix(realm_id, sync_object.value)
        return {str(item["sk"])[len(prefix):] for start in range(0, len(keys), BATCH_GET_LIMIT)
                for item in batch_get(self._table, keys[start:start + BATCH_GET_LIMIT])}

    def list(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> list[SyncFailure]:
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                          & Key("sk").begins_with(table_keys.sync_failure_prefix(realm_id, sync_object.value)))
        return [SyncFailure.model_validate_json(item["failure"]).model_copy(
            update={"attempts": int(item.get("attempts", 1))}) for item in items]


class DynamoBackfillRuns(DynamoRunRecords[BackfillRun]):
    """The sync's latest backfill or dry run per company."""

    def __init__(self, table: Any) -> None:
        super().__init__(table, model=BackfillRun, key=table_keys.backfill_run_key, item_type="backfill_run",
                         busy_message="A backfill or dry run is already running for this company; wait for it or "
                                      "cancel it.")


class DynamoSyncAdmins:
    """The portal's HubBooks admins: the user who installed the app, plus anyone an admin adds.

    HubSpot lets only users with App Marketplace access install an app, so the installer is an admin of the
    portal; HubSpot's signed requests carry the user id but not the user's role."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def installer(self, portal_id: int) -> int | None:
        install = self._table.get_item(Key=table_keys.hubspot_install_key(portal_id)).get("Item") or {}
        return int(install["installed_by_user_id"]) if install.get("installed_by_user_id") is not None else None

    def is_admin(self, portal_id: int, user_id: int) -> bool:
        return self.installer(portal_id) == user_id or user_id in self.added(portal_id)

    def added(self, portal_id: int) -> set[int]:
        item = self._table.get_item(Key=table_keys.sync_admins_key(portal_id)).get("Item") or {}
        return {int(value) for value in item.get("user_ids") or []}

    def add(self, portal_id: int, user_id: int) -> None:
        self._table.update_item(Key=table_keys.sync_admins_key(portal_id), UpdateExpression="ADD user_ids :u",
                                ExpressionAttributeValues={":u": {user_id}})

    def remove(self, portal_id: int, user_id: int, *, keep_one: bool) -> bool:
        """Take `user_id` off the added admins; with `keep_one`, only while another added admin remains (checked in
        the same write, so two admins removing each other at once cannot leave none). False when refused."""
        condition = "contains(user_ids, :id)" + (" AND size(user_ids) > :one" if keep_one else "")
        values: dict[str, Any] = {":u": {user_id}, ":id": user_id, **({":one": 1} if keep_one else {})}
        try:
            self._table.update_item(Key=table_keys.sync_admins_key(portal_id), UpdateExpression="DELETE user_ids :u",
                                    ConditionExpression=condition, ExpressionAttributeValues=values)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def replace(self, portal_id: int, user_ids: set[int]) -> None:
        if user_ids:
            self._table.put_item(Item={**table_keys.sync_admins_key(portal_id), "type": "hubbooks_admins",
                                       "user_ids": set(user_ids)})
        else:  # DynamoDB refuses an empty set
            self._table.delete_item(Key=table_keys.sync_admins_key(portal_id))
