"""The enterprise's home page (企业服务首页): where an enterprise account lands."""

from django.shortcuts import render

from wurao.accounts.policy import policy
from wurao.portal.selectors import portal_home


@policy("portal.home")
def home(request):
    home = portal_home(enterprise=request.user.enterprise)
    return render(request, "portal/home.html", {"home": home})
