from django.urls import path

from tripwise.places import views

app_name = "places"
urlpatterns = [
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("places/<slug:slug>/facts", views.place_facts_panel, name="facts"),
    path("destinations/<slug:slug>/", views.destination_detail, name="destination"),
]
