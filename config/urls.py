from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from wurao.accounts.policy import PUBLIC, PolicyPermission
from wurao.web.views import set_language_view


class ApiSchemaView(SpectacularAPIView):
    """The OpenAPI document: public, like the documentation that reads it (it lists the
    endpoints, not their data), under the API's own permission rather than drf-spectacular's."""

    policy = PUBLIC
    permission_classes = (PolicyPermission,)


# [hardening] deploy: Redoc builds its search index in a worker started from a blob: URL; the
# platform's Content-Security-Policy (settings) allows that on this page only. Redoc needs no
# eval and no inline script (the template starts it from web/redoc.js).
@method_decorator(csp_update({"worker-src": ["'self'", "blob:"]}), name="dispatch")
class ApiDocsView(SpectacularRedocView):
    """Redoc from the platform's own static files (REDOC_DIST): on a government intranet
    there is no elsewhere. The template (api/redoc.html) drops the Google Fonts links and
    Redoc's logo from its CDN."""

    template_name = "api/redoc.html"
    policy = PUBLIC
    permission_classes = (PolicyPermission,)


admin.site.site_header = "无扰 wurao 管理后台"
admin.site.site_title = "无扰 wurao"
admin.site.index_title = "数据管理"

api_patterns = [
    path("", include("wurao.registry.apis_urls")),
    path("", include("wurao.dossier.apis_urls")),
    path("", include("wurao.catalogue.apis_urls")),
    path("", include("wurao.enforcement.apis_urls")),
    path("", include("wurao.oversight.apis_urls")),
    path("", include("wurao.sampling.apis_urls")),
    path("", include("wurao.credit.apis_urls")),
    path("", include("wurao.visits.apis_urls")),
    path("", include("wurao.standards.apis_urls")),
    path("", include("wurao.rulemaking.apis_urls")),
    path("", include("wurao.bookings.apis_urls")),
    path("", include("wurao.selfcheck.apis_urls")),
    path("", include("wurao.complaints.apis_urls")),
    path("", include("wurao.outcomes.apis_urls_findings")),
    path("", include("wurao.outcomes.apis_urls_cases")),
    path("", include("wurao.outcomes.apis_urls_documents")),
    path("", include("wurao.outcomes.apis_urls_offsite")),
    path("auth/", include("wurao.accounts.apis_urls")),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("", include("wurao.web.urls")),
    # Sign-in, sign-out, the second factor; the back office's login page leads there too.
    path("", include("wurao.accounts.urls")),
    path("lang/", set_language_view, name="set-language"),
    path("registry/", include("wurao.registry.urls")),
    path("registry/", include("wurao.dossier.urls")),
    path("catalogue/", include("wurao.catalogue.urls")),
    path("enforcement/", include("wurao.enforcement.urls")),
    path("imports/", include("wurao.imports.urls")),
    path("oversight/", include("wurao.oversight.urls")),
    path("draws/", include("wurao.sampling.urls")),
    path("public/draws/", include("wurao.sampling.public_urls")),
    path("credit/", include("wurao.credit.urls")),
    path("visits/", include("wurao.visits.urls")),
    path("visits/", include("wurao.visits.urls_supervision")),
    path("v/", include("wurao.visits.public_urls")),
    path("planning/", include("wurao.planning.urls_plans")),
    path("planning/", include("wurao.planning.urls_coordination")),
    path("planning/", include("wurao.planning.urls_forms")),
    path("public/planning/", include("wurao.planning.public_urls")),
    path("public/audit/", include("wurao.audit.public_urls")),
    # [portal] the enterprise's side: its home, the standards library, conflicts and
    # consultations, service booking, self-inspection, complaints and whistleblowing.
    path("portal/", include("wurao.portal.urls")),
    path("standards/", include("wurao.standards.urls")),
    path("", include("wurao.rulemaking.urls")),
    path("bookings/", include("wurao.bookings.urls")),
    path("selfcheck/", include("wurao.selfcheck.urls")),
    path("", include("wurao.complaints.urls")),
    # [outcomes] what an inspection produces: findings and rectification, off-site
    # inspection, cases with discretion and exemptions, documents and duty records.
    path("outcomes/docs/", include("wurao.outcomes.urls_documents")),
    path("outcomes/offsite/", include("wurao.outcomes.urls_offsite")),
    path("outcomes/", include("wurao.outcomes.urls_findings")),
    path("cases/", include("wurao.outcomes.urls_cases")),
    # Public disclosure (行政执法公示): the sitemap at /public/ and the published tables.
    path("public/", include("wurao.disclosure.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
]
