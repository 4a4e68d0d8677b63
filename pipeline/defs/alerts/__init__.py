"""Alerts: each clinic's channels are told of new urgent cases after every run that classifies
some, and failed sends are retried."""
