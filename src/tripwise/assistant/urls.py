from django.urls import path

from tripwise.assistant import views

app_name = "assistant"
urlpatterns = [
    path("assistant/", views.assistant_home, name="home"),
    path("assistant/<str:public_id>/", views.conversation_page, name="conversation"),
    path("assistant/<str:public_id>/say", views.say, name="say"),
    path("assistant/<str:public_id>/change", views.change, name="change"),
    path("assistant/<str:public_id>/undo", views.undo, name="undo"),
]
