"""Tests: each file pins down one behaviour of the product."""
