"""Destinations and places: where things are, when they open, what they cost, how to get there."""
