"""The change engine: every QuickBooks change reaches HubSpot through one path, whoever noticed it.

Webhooks (live), the scheduled reconciliation (QuickBooks change data capture from a stored bookmark, or a full
re-read once the bookmark is older than CDC's 30-day window) and anything else that learns "entity X of company C
changed" hand the engine *references*; the engine reads the entities' **current** state from QuickBooks (one query
with an `IN` list per entity type, or the CDC page itself) and gives each entity type's batch to the applier
registered for it. Appliers derive what HubSpot should show from that state and HubSpot's current state, and write
the difference; anything they record (snapshots, note ids, links) is saved only after the HubSpot write succeeded.
So duplicated, shuffled, late or lost webhooks change nothing in the end state: the next reconciliation applies
whatever a dead-lettered or missed message did not.

Registering an applier (what the QuickBooks -> HubSpot contact/product sync does for Customer and Item)
-------------------------------------------------------------------------------------------------------
1. Write a class that satisfies `ports.ChangeApplier`:

       class CustomerApplier:
           entity = "Customer"

           def apply(self, scope: CompanyScope, changes: Sequence[EntityChange]) -> AppliedChanges:
               # changes[i].current is the Customer JSON as QuickBooks has it now, or None when deleted.
               # Idempotent: derive, compare with HubSpot, write the difference; safe to run twice.
               ...

           def after_full_read(self, scope: CompanyScope, seen_ids: AbstractSet[str]) -> AppliedChanges:
               # Called after a full re-read: records you track whose id is not in seen_ids are gone from QuickBooks.
               ...

   `apply` may raise: the webhook message is retried (then dead-lettered), and reconciliation keeps that entity
   type's bookmark where it was, so the next run tries again. Keep domain code free of boto3/requests: take ports.
2. Declare its entity type in `adapters/wiring/changes.py::APPLIER_MODULES` and build it in the declared module's
   `appliers(deadline, connections)`. The webhook worker (loading the module only for batches of that type) and the
   reconciliation job (all of them) both build their registry from there,
   so the entity type is then live (webhooks) and reconciled (CDC bookmark per company and entity type) at once.
3. CDC supports the entity if QuickBooks does (not for JournalCode, TimeActivity, TaxAgency, TaxCode, TaxRate).

Modules: `ports` (the protocols), `registry` (entity type -> applier), `engine` (webhook batches and reconciliation).
"""
