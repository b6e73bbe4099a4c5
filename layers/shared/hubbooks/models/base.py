"""The base of every HubBooks pydantic model: schemas are built on first use, not at import.

Building a model's validator costs about a millisecond per class; a handler imports dozens of models and one
invocation uses a few, so building them all at import made each cold start pay for every route's models.

Model modules therefore also avoid what would build or evaluate anything at import: no model instances as module
constants or field defaults (use a cached function, or `default_factory`), and no `from __future__ import
annotations`, which turns every field's annotation into a string that pydantic compiles and evaluates when the class
is defined (a quarter of what defining a model costs); quote the few forward references instead.
"""


from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    # No field of ours starts with `model_`: pydantic's check for that, run per field at every class definition,
    # would only cost the cold start.
    model_config = ConfigDict(defer_build=True, protected_namespaces=())


class FrozenModel(Model):
    """A value that never changes once read (QuickBooks records, our links): one shared base, since each class
    defined costs every cold start that loads it."""

    model_config = ConfigDict(frozen=True)
