"""The JSON API under /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json).

Every router reads and writes through the same selectors, services and scope
(`tiendo.accounts.access`) as the pages. Authentication: the browser session (with CSRF) or
`Authorization: Bearer <token>` (tokens: `tiendo manage api_token USER`).
"""
