"""LinkedIn's Lead Sync API: reading forms and responses (:mod:`.fetch`), shaping them into rows (:mod:`.shape`)."""
