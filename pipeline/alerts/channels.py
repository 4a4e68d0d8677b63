"""The clinics' alert channels: an Apprise configuration file (YAML or text) whose URLs carry
one tag per clinic (`all-clinics` hears every clinic). The file holds the channels' credentials,
so it is read, never stored, shown or logged; a failure is reported by status, not by URL."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

import apprise

from db.states import AlertStatus

EVERY_CLINIC_TAG: Final = "all-clinics"
"""A channel with this tag is told about every clinic."""


class SendResult(StrEnum):
    """How sending one clinic's alert went: the alert's status then (`db.states.AlertStatus`)."""

    SENT = AlertStatus.SENT.value
    """At least one of the clinic's channels took the message."""
    FAILED = AlertStatus.FAILED.value
    """Every channel of the clinic refused it, or could not be reached."""
    NO_CHANNEL = AlertStatus.NO_CHANNEL.value
    """No channel is configured for the clinic."""


@dataclass(frozen=True)
class Channels:
    """The configured channels, loaded from `path` (a missing file: no channels)."""

    path: Path

    def _apprise(self) -> apprise.Apprise:
        # Apprise logs each channel's URL with its secrets masked; quieter still, only errors.
        logging.getLogger("apprise").setLevel(logging.ERROR)
        notifier = apprise.Apprise()
        if self.path.is_file():
            config = apprise.AppriseConfig()
            config.add(str(self.path))
            notifier.add(config)
        return notifier

    def send(self, clinic_id: str, title: str, body: str) -> SendResult:
        """Send one message to the clinic's channels (and those of every clinic)."""
        result = self._apprise().notify(
            body=body, title=title, tag=[clinic_id, EVERY_CLINIC_TAG], match_always=False
        )
        if result.status == apprise.AppriseResultStatus.NOMATCH:
            return SendResult.NO_CHANNEL
        return SendResult.SENT if result.success_count > 0 else SendResult.FAILED
