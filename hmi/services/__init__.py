"""What a user or a collector does. Permissions are checked here; state changes are audited."""
