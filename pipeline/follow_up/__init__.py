"""Follow-up to closure: every urgent and evaluate case, and every quarantined record whose red
flag needs a correction, has an item a person works from open to contacted to closed."""
