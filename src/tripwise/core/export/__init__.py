"""Plans leaving the site as files that calendars and map apps understand.

Each exporter is a plain function over the plan document (docs/plans.md): it knows nothing of Django,
reads no settings and returns bytes, so the CLI, the API and the pages share one implementation.
"""

from tripwise.core.export.geojson import plan_to_geojson
from tripwise.core.export.gpx import plan_to_gpx
from tripwise.core.export.ical import plan_to_ical

__all__ = ["plan_to_geojson", "plan_to_gpx", "plan_to_ical"]
