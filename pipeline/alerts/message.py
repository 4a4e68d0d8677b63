"""What an alert says: how many new urgent items a clinic has and where to work them. Pure, and
by construction free of patient data: it is made from counts and the clinic alone."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClinicAlert:
    """The new urgent items of one clinic, counted."""

    clinic_id: str
    cases: int
    corrections: int

    @property
    def title(self) -> str:
        return f"Urgent hip pain after knee injury: {self.clinic_id}"

    def body(self, worklist_url: str) -> str:
        """The message: counts, the clinic and the link; no ids, refs, ages, notes or findings."""
        parts = []
        if self.cases:
            parts.append(f"{self.cases} new urgent case{'s' if self.cases != 1 else ''}")
        if self.corrections:
            records = "record" if self.corrections == 1 else "records"
            parts.append(
                f"{self.corrections} quarantined {records} showing a red flag "
                "(the record needs correction)"
            )
        return (
            f"{' and '.join(parts)} at clinic {self.clinic_id}. "
            f"Open the red-flag worklist: {worklist_url}"
        )


def trial_message(clinic_id: str, worklist_url: str) -> tuple[str, str]:
    """The title and body of `intake alerts test`: says it is a test, carries no data."""
    return (
        f"Test alert: {clinic_id}",
        f"A test of the urgent-case alerts for clinic {clinic_id}: this channel works. "
        f"The red-flag worklist: {worklist_url}",
    )
