"""The rules of [outcomes] (cases): who may do what; what a person sees stays the selectors'."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from wurao.accounts.policy.core import declare  # noqa: F401
