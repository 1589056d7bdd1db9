"""LinkedIn's organic side: organizations, page statistics, posts, media, little text, row shapers."""
