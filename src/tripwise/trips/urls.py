from django.urls import path

from tripwise.trips import views
from tripwise.trips.exports import plan_calendar, plan_exports, plan_geojson, plan_gpx, plan_pdf, plan_print

app_name = "trips"
urlpatterns = [
    path("plan/", views.planner, name="planner"),
    path("plans/<str:public_id>/", views.plan_detail, name="plan"),
    path("plans/<str:public_id>/change", views.plan_change_view, name="change"),
    path("plans/<str:public_id>/share", views.share_view, name="share"),
    path("plans/<str:public_id>/group", views.group_view, name="group"),
    path("s/<str:token>/", views.share_link_view, name="share_link"),
    path("trips/add", views.add_to_trip_view, name="add_to_trip"),
    path("invitations/<str:token>/", views.invitation_view, name="invitation"),
    path("plans/<str:public_id>/calendar.ics", plan_calendar, name="calendar"),
    path("plans/<str:public_id>/plan.gpx", plan_gpx, name="gpx"),
    path("plans/<str:public_id>/plan.geojson", plan_geojson, name="geojson"),
    path("plans/<str:public_id>/print/", plan_print, name="print"),
    path("plans/<str:public_id>/plan.pdf", plan_pdf, name="pdf"),
    path("plans/<str:public_id>/exports/", plan_exports, name="exports"),
]
