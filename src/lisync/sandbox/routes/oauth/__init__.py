"""OAuth endpoints: LinkedIn's OAuth 2.0 server (:mod:`.flow`) and the ``/_sandbox/oauth`` admin (:mod:`.admin`)."""
