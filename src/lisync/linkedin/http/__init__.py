"""LinkedIn's HTTP layer: the client, Rest.li encoding, paging, retries, request statistics and errors."""
