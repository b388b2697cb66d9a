from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from tripwise.core.experiences import cell_of


def fill_cells(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Places stored before the nearby index get their cell, or nearby search would never find them.
    place_model = apps.get_model("places", "Place")
    places = list(place_model.objects.only("id", "lat", "lon"))
    for place in places:
        place.cell = cell_of(place.lat, place.lon)
    place_model.objects.bulk_update(places, ["cell"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="place",
            name="cell",
            field=models.BigIntegerField(default=0, editable=False, help_text="For nearby search."),
        ),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(fields=["cell", "lat", "lon", "id"], name="place_nearby"),
        ),
        migrations.RunPython(fill_cells, migrations.RunPython.noop),
    ]
