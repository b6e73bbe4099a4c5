"""The base of every HubBooks pydantic model: schemas are built on first use, not at import.

Building a model's validator costs about a millisecond per class; a handler imports dozens of models and one
invocation uses a few, so building them all at import made each cold start pay for every route's models.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
