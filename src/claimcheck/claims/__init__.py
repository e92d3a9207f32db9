"""Substantiated claims: the claims registry a content repository keeps, and how a draft's claims match it."""
