from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [path("seguimiento/", views.follow_up, name="follow_up")]
