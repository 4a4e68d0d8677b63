"""A rules change reviewed before it touches a case: which version is in force, what the
candidate in the code would change (the impact report), and its approval."""
