from django.urls import include, path

from tripwise.accounts import views

# No app_name here: it would put allauth's URL names (account_login, ...), which allauth reverses itself,
# under a namespace. My trips has its own: accounts:my_trips.
my_trips = [
    path("trips/", views.my_trips, name="my_trips"),
    path("trips/<str:public_id>/rename", views.trip_rename, name="rename"),
    path("trips/<str:public_id>/duplicate", views.trip_duplicate, name="duplicate"),
    path("trips/<str:public_id>/delete", views.trip_delete, name="delete"),
    path("trips/<str:public_id>/restore", views.trip_restore, name="restore"),
]
urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include((my_trips, "accounts"))),
]
