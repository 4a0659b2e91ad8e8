from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("sessie-verlengen/", views.KeepAliveView.as_view(), name="keep-alive"),
    path("audittrail/", views.AuditTrailView.as_view(), name="audit-trail"),
    path("audittrail/<int:pk>/", views.AuditEntryView.as_view(), name="audit-entry"),
]
