"""Domain logic of ordering, free of request handling."""
