from django.urls import path

from wurao.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("login/setup/", views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("login/verify/", views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    # Before Django admin's own login page (config/urls.py includes this first).
    path("admin/login/", views.AdminLoginRedirect.as_view(), name="admin-login-redirect"),
]
