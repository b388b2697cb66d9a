"""Tripwise: travel planning that checks every plan against the real rules."""
