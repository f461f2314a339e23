from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("avisos/", views.notification_list, name="list"),
    path("avisos/<int:pk>/", views.open_notification, name="open"),
    path("avisos/sin-leer.json", views.unread, name="unread"),
    path("avisos/leidos/", views.mark_all_read, name="mark_all_read"),
    path("avisos/preferencias/", views.preferences, name="preferences"),
]
