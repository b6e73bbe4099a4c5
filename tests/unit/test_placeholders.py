"""The placeholder check `make test` runs over deployable files."""

from __future__ import annotations

from pathlib import Path

from scripts.check_placeholders import find_placeholders, placeholders_in


def test_finds_placeholder_addresses_and_markers() -> None:
    text = '{"fetch": ["https://REPLACE-WITH-ApiUrl-OUTPUT"],\n "supportEmail": "support@example.com",\n' \
           ' "docs": "https://www.example.org/docs"}'
    assert placeholders_in(text) == [(1, "REPLACE-WITH"), (2, "example.com"), (3, "example.org")]


def test_ignores_look_alikes() -> None:
    assert placeholders_in('submission_id="replace-with-a-new-id" host="counterexample.com"') == []


def test_scans_only_deployable_files(tmp_path: Path) -> None:
    (tmp_path / "hubspot/src/app").mkdir(parents=True)
    (tmp_path / "hubspot/src/app/app-hsmeta.json").write_text('{"url": "https://REPLACE-WITH-x"}')
    (tmp_path / "hubspot/src/app/packages").mkdir()
    (tmp_path / "hubspot/src/app/packages/settings.generated.js").write_text("'https://example.com'")
    (tmp_path / "hubspot/tests").mkdir()
    (tmp_path / "hubspot/tests/fixture.js").write_text("'https://example.com'")
    (tmp_path / "template.yaml").write_text("Default: https://api.example.com\n")
    assert find_placeholders(tmp_path) == [
        "template.yaml:1: placeholder 'example.com'",
        "hubspot/src/app/app-hsmeta.json:1: placeholder 'REPLACE-WITH'",
    ]


def test_python_is_checked_in_its_values_not_its_docstrings_or_comments(tmp_path: Path) -> None:
    (tmp_path / "layers").mkdir()
    (tmp_path / "layers/config.py").write_text(
        '"""Reads settings, e.g. https://api.example.com."""\n'
        "# the default below must never be example.com\n"
        "def base() -> str:\n"
        '    """The base URL (not example.org)."""\n'
        '    return "https://REPLACE-WITH-your-api"\n')
    assert find_placeholders(tmp_path) == ["layers/config.py:5: placeholder 'REPLACE-WITH'"]


def test_the_repository_has_none() -> None:
    assert find_placeholders() == []
