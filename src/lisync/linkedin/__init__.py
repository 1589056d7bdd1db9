"""LinkedIn knowledge without dlt state: HTTP client, OAuth, ads, analytics and organization pages."""
