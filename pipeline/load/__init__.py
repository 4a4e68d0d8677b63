"""Load: landing files into the register; a day's validated records into case versions, cases,
their classifications and quarantine, each written once; classifications read back for
reclassifying."""
