"""The sandbox's endpoints, one module per LinkedIn resource family; :mod:`.table` lists them all.

Each endpoint module ends with a ``ROUTES`` tuple of :class:`~lisync.sandbox.http.protocol.Route` values;
:data:`lisync.sandbox.routes.table.ROUTES` concatenates them and the server hands that table to the app.
Order does not matter: a request is resolved by path, method, ``q`` finder and pattern specificity (see
:func:`lisync.sandbox.http.gateway.resolve_route`), and no two routes answer the same one.

* :mod:`~lisync.sandbox.routes.ads` — ad accounts, campaign groups, campaigns, creatives, conversions;
* :mod:`~lisync.sandbox.routes.analytics` — ``adAnalytics``;
* :mod:`~lisync.sandbox.routes.organizations` — ACLs, organizations, statistics, posts, media;
* :mod:`~lisync.sandbox.routes.oauth` — LinkedIn's OAuth 2.0 server and its ``/_sandbox/oauth`` admin.
"""
