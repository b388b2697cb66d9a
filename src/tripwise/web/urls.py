from django.urls import path

from tripwise.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("search", views.search_page, name="search"),
]
