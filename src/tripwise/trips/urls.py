from django.urls import path

from tripwise.trips import views

app_name = "trips"
urlpatterns = [
    path("plan/", views.planner, name="planner"),
    path("plans/<str:public_id>/", views.plan_detail, name="plan"),
    path("plans/<str:public_id>/change", views.plan_change_view, name="change"),
]
