from django.urls import path

from tripwise.newsletter import views

app_name = "newsletter"
urlpatterns = [
    path("newsletter/", views.signup, name="signup"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/manage/<str:token>/", views.manage, name="manage"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe_page, name="unsubscribe"),
    path("newsletter/unsubscribe/<str:token>/one-click", views.one_click, name="one_click"),
]
