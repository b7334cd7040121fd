"""Helpers with no models: env parsing, errors, markdown, pagination, htmx, testing cast."""
