"""Who the user is: SITHS certificates from a trusted proxy, local password accounts, roles."""
