"""Alerts: each clinic's channels are told of its new urgent cases (and of quarantined records
whose red flag needs a correction), through Apprise, at least once and no more often."""
