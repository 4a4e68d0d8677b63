"""Knee-to-hip intake pipeline: contract, generate, validate, classify, load, aggregate."""
