from django.urls import path

from tripwise.experiences import provider_views, views

app_name = "experiences"
urlpatterns = [
    # Travellers
    path("experiences/", views.experience_list, name="list"),
    path("experiences/<slug:slug>/", views.experience_detail, name="experience"),
    path("experiences/<slug:slug>/book", views.book_view, name="book"),
    path("experiences/<slug:slug>/apply", views.apply_view, name="apply"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<str:code>/", views.booking_detail, name="booking"),
    path("bookings/<str:code>/confirm", views.booking_confirm_view, name="booking_confirm"),
    path("bookings/<str:code>/cancel", views.booking_cancel_view, name="booking_cancel"),
    path("bookings/<str:code>/trip", views.booking_trip_view, name="booking_trip"),
    path("bookings/<str:code>/calendar.ics", views.booking_calendar, name="booking_calendar"),
    path("applications/<str:code>/", views.application_detail, name="application"),
    path("applications/<str:code>/withdraw", views.application_withdraw_view, name="application_withdraw"),
    # Providers' staff
    path("provider/", provider_views.home, name="provider_home"),
    path("provider/day/", provider_views.day, name="provider_day"),
    path("provider/day.csv", provider_views.day_csv, name="provider_day_csv"),
    path("provider/applications/<str:code>/", provider_views.application, name="provider_application"),
    path("provider/experiences/<slug:slug>/", provider_views.experience, name="provider_experience"),
]
