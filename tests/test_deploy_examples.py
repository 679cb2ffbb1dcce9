"""The scheduled-refresh examples in docs/deploy/ are well-formed and do what deploy.md says."""

import configparser
import re

import yaml

from conftest import ROOT

DEPLOY = ROOT / "docs" / "deploy"
CRON_FIELD = r"(\*|\d+)(/\d+)?(-\d+)?(,\d+)*"


def test_github_workflow_fetches_builds_keeps_the_store_and_deploys_pages():
    workflow = yaml.safe_load((DEPLOY / "github-pages-refresh.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    (schedule,) = triggers["schedule"]
    assert re.fullmatch(" ".join([CRON_FIELD] * 5), schedule["cron"])
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    runs = [s.get("run", "") for s in steps]
    assert uses[0].startswith("actions/checkout@")
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "cache"  # where HAOKAN_STORE lives by default
    assert cache["with"]["restore-keys"] == "haokan-store-"
    assert (
        runs.index("make setup")
        < runs.index(".venv/bin/invoke fetch")
        < runs.index(".venv/bin/invoke build --settings publishconf.py")
    )
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "public"  # publishconf.py builds there, not in output/
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_systemd_timer_runs_the_oneshot_service_every_half_hour():
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.read_string((DEPLOY / "haokan-refresh.service").read_text())
    assert service["Service"]["Type"] == "oneshot"
    lines = (DEPLOY / "haokan-refresh.service").read_text().splitlines()
    assert [line for line in lines if line.startswith("ExecStart=")] == [
        "ExecStart=%h/haokan/.venv/bin/invoke fetch",
        "ExecStart=%h/haokan/.venv/bin/invoke publish",
    ]
    timer = configparser.ConfigParser(interpolation=None)
    timer.read_string((DEPLOY / "haokan-refresh.timer").read_text())
    assert timer["Timer"]["OnCalendar"] == "*:0/30"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_crontab_line_fetches_then_publishes():
    (line,) = [
        row
        for row in (DEPLOY / "crontab.txt").read_text().splitlines()
        if row and not row.startswith("#")
    ]
    fields = line.split(maxsplit=5)
    assert all(re.fullmatch(CRON_FIELD, f) for f in fields[:5])
    assert ".venv/bin/invoke fetch && .venv/bin/invoke publish" in fields[5]
