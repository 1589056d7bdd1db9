"""The sandbox's organic world: organizations, roles, page/follower/share statistics, posts and media."""
