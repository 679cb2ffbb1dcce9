"""Settings: defaults in one place, one clear error for a typo or a wrong type."""

import subprocess
import sys
from pathlib import Path

import pytest

from haokan.core.errors import SettingsError
from haokan.core.settings import DECLARED, validate
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


def test_settings_carry_the_zone_the_output_and_the_name():
    hk = validate(
        {"TIMEZONE": "Asia/Shanghai", "OUTPUT_PATH": "public", "SITENAME": "我的好看"}, SOURCE
    )
    assert (str(hk.zone), hk.output, hk.site_name) == (
        "Asia/Shanghai",
        Path("/site/public"),
        "我的好看",
    )
    assert hk.pelican["OUTPUT_PATH"] == "public"  # Pelican gets the very values the file defined
    with pytest.raises(SettingsError, match="TIMEZONE = 'Mars/Olympus' is not a time zone"):
        validate({"TIMEZONE": "Mars/Olympus"}, SOURCE)


def test_every_setting_is_declared_once_and_documented_with_its_default():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    rows = {
        line.split("|")[1].strip(" `")
        for line in readme.splitlines()
        if line.startswith("| `HAOKAN_")
    }
    documented = {name for row in rows for name in row.replace("`", "").split(", ")}
    assert documented == set(DECLARED)
    for name, (_, declared) in DECLARED.items():
        assert declared.meaning and declared.expected, name
        assert declared.convert(declared.default) is not None, name  # the default is valid


@pytest.mark.slow
def test_a_build_executes_the_settings_file_once(site):
    counter = site.root / "executions"
    with site.settings.open("a") as settings:
        settings.write(f"with open({str(counter)!r}, 'a') as count:\n    count.write('x')\n")
    site.invoke("build")
    assert counter.read_text() == "x"


@pytest.mark.slow
def test_plain_pelican_is_one_clear_line(site):
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "-s", str(site.settings)],
        capture_output=True,
        text=True,
        cwd=site.root,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: Haokan needs its own settings, which `invoke build` (or `python -m haokan build`) "
        "reads from the settings file; plain `pelican` cannot tell it where that file is"
    ]
