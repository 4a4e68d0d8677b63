"""`db.problems`: whatever the password, the line that names a database never shows it, and
the driver's own words decide the fault."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from db import problems
from db.problems import Fault

PASSWORDS = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FFF),  # no surrogates here
    min_size=12,
    max_size=40,
)


@given(password=PASSWORDS)
def test_no_password_reaches_the_line(password: str) -> None:
    url = make_url(f"postgresql+psycopg://ops:{quote(password, safe='')}@db.example:5432/x")
    refused = Exception(
        'connection failed: connection to server at "10.0.0.1", port 5432 failed: FATAL:  '
        'password authentication failed for user "ops"'
    )
    line = problems.connect_problem(url, refused).line
    assert password not in line
    assert quote(password, safe="") not in line
    assert "ops:***@db.example:5432/x" in line


@pytest.mark.parametrize(
    ("driver_says", "fault"),
    [
        (
            "connection failed: ... port 1 failed: Connection refused\n\tIs the server running",
            Fault.UNREACHABLE,
        ),
        ("failed to resolve host 'db': [Errno -2] Name or service not known", Fault.UNREACHABLE),
        (
            'connection failed: ... failed: FATAL:  password authentication failed for user "u"',
            Fault.CREDENTIALS_REFUSED,
        ),
        (
            "connection failed: ... failed: fe_sendauth: no password supplied",
            Fault.CREDENTIALS_REFUSED,
        ),
        (
            'connection failed: ... failed: FATAL:  role "u" does not exist',
            Fault.CREDENTIALS_REFUSED,
        ),
        (
            'connection failed: ... failed: FATAL:  no pg_hba.conf entry for host "10.0.0.2"',
            Fault.CREDENTIALS_REFUSED,
        ),
        (
            'connection failed: ... failed: FATAL:  database "x" does not exist',
            Fault.DATABASE_MISSING,
        ),
        (
            "connection failed: ... failed: FATAL:  sorry, too many clients already",
            Fault.UNREACHABLE,
        ),
    ],
)
def test_the_drivers_words_decide_the_fault_and_become_the_reason(
    driver_says: str, fault: Fault
) -> None:
    problem = problems.connect_problem(make_url("postgresql://u@db/x"), Exception(driver_says))
    assert problem.fault is fault
    assert "\n" not in problem.line
    assert not problem.reason.startswith(("FATAL", "connection failed"))
