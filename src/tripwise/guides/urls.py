from django.urls import path

from tripwise.guides import views

app_name = "guides"
urlpatterns = [
    path("guides/<slug:slug>/", views.guide_detail, name="guide"),
]
