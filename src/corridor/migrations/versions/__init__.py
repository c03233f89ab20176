"""One file per revision, applied in the order their ``down_revision`` links give."""
