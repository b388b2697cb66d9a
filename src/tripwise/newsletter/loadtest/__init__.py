"""A campaign to many subscribers through a real SMTP server, sent by real worker processes: how fast, and
the proof that every subscriber got exactly one message, even with a worker killed mid-campaign.

`python -m tripwise.newsletter.loadtest` (make bench-newsletter); the kill test in tests/newsletter uses the
same harness (harness.py) at a smaller size."""
