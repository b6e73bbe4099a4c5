"""SAM Globals merging as the gateway applies it to each function."""

from __future__ import annotations

from sandbox.cfn_template import Intrinsic, function_properties, load_template


def test_globals_merge_into_each_function() -> None:
    props = function_properties(load_template(), "WebhookReceiverFunction")
    assert props["Timeout"] == 10  # the function's own value wins
    assert props["MemorySize"] == 512  # from Globals
    assert props["Layers"] == [Intrinsic("Ref", "SharedLayer")]
    variables = props["Environment"]["Variables"]
    assert variables["WEBHOOK_QUEUE_URL"] == Intrinsic("Ref", "WebhookQueue")
    assert variables["APP_TABLE_NAME"] == Intrinsic("Ref", "AppTable")


def test_lists_are_prepended() -> None:
    template = {"Globals": {"Function": {"Layers": ["a"], "Environment": {"Variables": {"X": "1", "Y": "1"}}}},
                "Resources": {"F": {"Type": "AWS::Serverless::Function",
                                    "Properties": {"Layers": ["b"], "Environment": {"Variables": {"Y": "2"}}}}}}
    props = function_properties(template, "F")
    assert props["Layers"] == ["a", "b"]
    assert props["Environment"]["Variables"] == {"X": "1", "Y": "2"}
