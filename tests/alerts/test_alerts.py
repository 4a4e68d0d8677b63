"""Urgent-case alerts reach each clinic's real channels (a webhook receiver and an SMTP server on
this machine): once per new urgent case batch, never again on a re-run, retried until a channel
that was down is back, at most one duplicate after a kill, and never with patient data."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import Engine, func, select

from db.models import AlertLedgerEntry, table_of
from pipeline import run
from pipeline.alerts.announce import announce
from pipeline.alerts.channels import Channels
from pipeline.alerts.ledger import LEASE
from pipeline.defs.alerts.sensors import alerts_retry_sensor
from pipeline.defs.resources import IntakeDatabase
from pipeline.faults import FAULT_POINT_ENV
from tests.alerts.receivers import MailReceiver, WebhookReceiver, mail_receiver, webhook_receiver
from tests.files import csv, line

LEDGER = table_of(AlertLedgerEntry)
DAY = dt.date(2026, 11, 20)
WORKLIST = "https://dashboard.clinic.test/worklist"
PATIENT_DATA = ("N-URGENT-1", "N-URGENT-2", "S-URGENT-1", "REF-N1", "REF-N2", "REF-S1")
NOTES = "fell off a ladder at the allotment"


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as test_instance:
        yield test_instance


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as receiver:
        yield receiver


@pytest.fixture
def mail() -> Iterator[MailReceiver]:
    with mail_receiver() as receiver:
        yield receiver


def _config(tmp_path: Path, webhook: WebhookReceiver, mail: MailReceiver) -> Path:
    """North's alerts go to the webhook, south's by e-mail; `all-clinics` hears both."""
    path = tmp_path / "alerts.yml"
    path.write_text(
        "urls:\n"
        f"  - {webhook.url('north')}:\n      - tag: north\n"
        f"  - {mail.url('south-admin@clinic.test')}:\n      - tag: south\n"
        f"  - {webhook.url('everyone')}:\n      - tag: all-clinics\n"
    )
    return path


def _ingest(url: str, landing: Path, instance: dg.DagsterInstance, *lines: str) -> None:
    landing.mkdir(exist_ok=True)
    (landing / f"intake_mixed_{DAY.isoformat()}.csv").write_bytes(csv(*lines))
    result = run.run_days(DAY, DAY, landing_dir=landing, database_url=url, instance=instance)
    assert result.success


URGENT_LINES = (
    line(
        intake_id="N-URGENT-1",
        clinic_id="north",
        patient_ref="REF-N1",
        weight_bearing="none",
        notes=NOTES,
    ),
    line(intake_id="N-URGENT-2", clinic_id="north", patient_ref="REF-N2", temperature_c="38.6"),
    line(intake_id="N-ROUTINE", clinic_id="north", patient_ref="REF-N3"),
    line(
        intake_id="S-URGENT-1",
        clinic_id="south",
        patient_ref="REF-S1",
        pain_trend="rapidly_worsening",
    ),
    # invalid (sex), with a fever its text still shows: a record needing correction
    line(
        intake_id="S-BROKEN", clinic_id="south", patient_ref="REF-S2", sex="?", fever_reported="yes"
    ),
)


@pytest.fixture
def ingested(migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance) -> Engine:
    url = migrated_engine.url.render_as_string(hide_password=False)
    _ingest(url, tmp_path / "landing", instance, *URGENT_LINES)
    return migrated_engine


def _statuses(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(LEDGER.c.status, func.count()).group_by(LEDGER.c.status)
        ).all()
    return {status: int(n) for status, n in rows}


def test_each_clinic_is_told_once_of_its_new_urgent_cases_and_not_again_on_a_rerun(
    ingested: Engine, tmp_path: Path, webhook: WebhookReceiver, mail: MailReceiver
) -> None:
    channels = Channels(_config(tmp_path, webhook, mail))
    now = dt.datetime.now(dt.UTC)
    first = announce(ingested, channels, WORKLIST, now)
    assert first.queued == 4, first
    assert _statuses(ingested) == {"sent": 4}, first
    assert sorted(first.sent) == ["north", "south"]
    assert webhook.messages("north") == [
        f"2 new urgent cases at clinic north. Open the red-flag worklist: {WORKLIST}"
    ]
    (south,) = mail.mails
    assert "Subject: Urgent hip pain after knee injury: south" in south
    assert "1 new urgent case and 1 quarantined record showing a red flag" in south
    assert len(webhook.messages("everyone")) == 2  # the all-clinics channel hears both
    assert _statuses(ingested) == {"sent": 4}

    again = announce(ingested, channels, WORKLIST, now + dt.timedelta(hours=1))
    assert (again.queued, again.sent, again.failed) == (0, {}, {})
    assert len(webhook.posts) == 3
    assert len(mail.mails) == 1


def test_no_message_holds_patient_data(
    ingested: Engine, tmp_path: Path, webhook: WebhookReceiver, mail: MailReceiver
) -> None:
    announce(
        ingested, Channels(_config(tmp_path, webhook, mail)), WORKLIST, dt.datetime.now(dt.UTC)
    )
    texts = [str(payload) for _, payload in webhook.posts] + mail.mails
    assert len(texts) == 4
    for text in texts:
        for secret in (*PATIENT_DATA, "REF-S2", "S-BROKEN", NOTES, "38.6", "ladder"):
            assert secret not in text


def test_a_channel_that_is_down_gets_the_alert_once_it_is_back(
    ingested: Engine, tmp_path: Path, mail: MailReceiver
) -> None:
    with webhook_receiver() as webhook:
        port = webhook.port
        config = _config(tmp_path, webhook, mail)
    channels = Channels(config)  # the webhook is down now
    now = dt.datetime.now(dt.UTC)
    down = announce(ingested, channels, WORKLIST, now)
    assert sorted(down.failed) == ["north"]
    assert sorted(down.sent) == ["south"]  # south's own channel (e-mail) took it
    with ingested.connect() as connection:
        north = connection.execute(
            select(LEDGER.c.status, LEDGER.c.attempts, LEDGER.c.last_error).where(
                LEDGER.c.clinic_id == "north"
            )
        ).all()
    assert {tuple(r) for r in north} == {("failed", 1, "every channel refused or was unreachable")}
    with webhook_receiver(port) as back:
        retried = announce(ingested, channels, WORKLIST, now + dt.timedelta(minutes=1))
        assert sorted(retried.sent) == ["north"]
        assert back.messages("north") == [
            f"2 new urgent cases at clinic north. Open the red-flag worklist: {WORKLIST}"
        ]
    assert _statuses(ingested) == {"sent": 4}


def _send_in_a_process(url: str, config: Path, fault: str | None = None) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": url,
        "INTAKE_DASHBOARD_URL": "https://dashboard.clinic.test",
    }
    if fault:
        env[FAULT_POINT_ENV] = fault
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "intake"), "alerts", "send", "--config", str(config)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_round_killed_between_sending_and_recording_sends_once_more_and_loses_nothing(
    ingested: Engine, tmp_path: Path, webhook: WebhookReceiver, mail: MailReceiver
) -> None:
    url = ingested.url.render_as_string(hide_password=False)
    config = _config(tmp_path, webhook, mail)
    killed = _send_in_a_process(url, config, fault="alerts:after_send@1")
    killed.wait(timeout=120)
    assert killed.returncode == -9
    assert len(webhook.messages("north")) == 1  # sent, not recorded
    assert _statuses(ingested) == {"pending": 4}

    soon = announce(ingested, Channels(config), WORKLIST, dt.datetime.now(dt.UTC))
    assert (soon.sent, soon.failed) == ({}, {}), "within the lease no other round takes them"
    later = dt.datetime.now(dt.UTC) + LEASE + dt.timedelta(seconds=1)
    announce(ingested, Channels(config), WORKLIST, later)
    assert len(webhook.messages("north")) == 2  # the one duplicate
    assert len(mail.mails) == 1
    assert _statuses(ingested) == {"sent": 4}


def test_concurrent_rounds_send_each_alert_once(
    ingested: Engine, tmp_path: Path, webhook: WebhookReceiver, mail: MailReceiver
) -> None:
    url = ingested.url.render_as_string(hide_password=False)
    config = _config(tmp_path, webhook, mail)
    rounds = [_send_in_a_process(url, config) for _ in range(4)]
    for each in rounds:
        _, err = each.communicate(timeout=120)
        assert each.returncode == 0, err.decode()
    assert len(webhook.messages("north")) == 1
    assert len(mail.mails) == 1
    assert _statuses(ingested) == {"sent": 4}


def test_the_alert_step_runs_in_dagster_and_a_channel_down_fails_no_data_work(
    migrated_engine: Engine, tmp_path: Path, instance: dg.DagsterInstance, mail: MailReceiver
) -> None:
    url = migrated_engine.url.render_as_string(hide_password=False)
    with webhook_receiver() as webhook:
        config = _config(tmp_path, webhook, mail)
    _ingest(url, tmp_path / "landing", instance, *URGENT_LINES)  # north's webhook is down
    result = run.run_alerts(database_url=url, alerts_config=config, instance=instance)
    assert result.success
    (materialization,) = result.asset_materializations_for_node("urgent_case_alerts")
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    assert (metadata["clinics_told"], metadata["clinics_failed"]) == (1, 1)
    assert "| south  | sent" in str(metadata["sent"])
    assert _statuses(migrated_engine) == {"sent": 2, "failed": 2}


def test_the_retry_sensor_asks_for_a_round_only_while_an_alert_waits(ingested: Engine) -> None:
    url = ingested.url.render_as_string(hide_password=False)
    database = IntakeDatabase(url=url)
    with dg.build_sensor_context(resources={"database": database}) as context:
        waiting = alerts_retry_sensor(context)
    assert isinstance(waiting, dg.RunRequest)  # the new urgent cases are queued by the round
    channels = Channels(Path("/nonexistent/alerts.yml"))
    done = announce(ingested, channels, WORKLIST, dt.datetime.now(dt.UTC))
    assert sorted(done.no_channel) == ["north", "south"]
    with dg.build_sensor_context(resources={"database": database}) as context:
        idle = alerts_retry_sensor(context)
    assert isinstance(idle, dg.SkipReason)
