"""The dlt sources, one per pipeline family (ads, analytics, pages): resources, savepoints, partial access."""
