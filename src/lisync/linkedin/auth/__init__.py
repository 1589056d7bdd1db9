"""LinkedIn OAuth: the 3-legged flow, stored credentials, refreshing token providers and scopes."""
