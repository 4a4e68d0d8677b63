"""A rules change reviewed before it touches a case: the impact report of the code's rule set
against the one in force, made when they differ."""
