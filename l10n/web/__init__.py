"""The HTTP layer: the app factory, one blueprint per API, admission, errors, the OpenAPI document."""
