"""Settings: defaults in one place, one clear error for a typo or a wrong type."""

from pathlib import Path

import pytest

from haokan.core.errors import SettingsError
from haokan.core.settings import validate
from haokan.storage.settings_file import load

SOURCE = Path("/site/pelicanconf.py")


def test_defaults_and_paths_relative_to_the_settings_file():
    hk = validate({}, SOURCE)
    assert hk.store == Path("/site/cache/haokan.sqlite3")
    assert hk.subscriptions == Path("/site/content/subscriptions.opml")
    assert hk.allow_private_addresses is False and hk.full_content is True and hk.lang == "zh"


def test_unknown_setting_suggests_the_right_name():
    with pytest.raises(
        SettingsError, match="unknown setting HAOKAN_FULLCONTENT; did you mean HAOKAN_FULL_CONTENT"
    ):
        validate({"HAOKAN_FULLCONTENT": False}, SOURCE)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("HAOKAN_FULL_CONTENT", "False", "True or False"),
        ("HAOKAN_LANG", "fr", "'zh' or 'en'"),
        ("HAOKAN_FETCH_CONCURRENCY", 0, "a whole number from 1 to 256"),
        ("HAOKAN_FETCH_CONCURRENCY", True, "a whole number from 1 to 256"),
        ("HAOKAN_STORE", "", "a file path"),
    ],
)
def test_wrong_types_name_the_setting_and_what_it_must_be(name, value, expected):
    with pytest.raises(SettingsError, match=f"{name} = .* is invalid; it must be {expected}"):
        validate({name: value}, SOURCE)


def test_settings_file_that_fails_to_run_is_one_error(tmp_path):
    bad = tmp_path / "pelicanconf.py"
    bad.write_text("SITENAME = 'x'\nHAOKAN_LANG = undefined_name\n")
    with pytest.raises(SettingsError, match=r"pelicanconf\.py: the settings file fails to run"):
        load(bad)


def test_missing_settings_file(tmp_path):
    with pytest.raises(SettingsError, match="settings file not found"):
        load(tmp_path / "nope.py")


def test_the_repository_settings_are_valid():
    hk = load(Path(__file__).resolve().parent.parent / "publishconf.py")
    assert hk.full_content is False  # publishing shows excerpts of other people's writing
