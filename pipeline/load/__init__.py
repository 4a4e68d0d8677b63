"""Load: landing files into the register, validated records into staging and quarantine,
staging into case versions and cases, classifications into the database."""
