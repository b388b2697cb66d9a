"""Pages that span apps: home, search, and the site's chrome."""
