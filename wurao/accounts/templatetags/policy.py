"""{% load policy %}{% if user|may:"credit.table_edit" %}: the policy's answer in a template."""

from django import template

from wurao.accounts.policy import allows

register = template.Library()


@register.filter
def may(user, rule: str) -> bool:
    return allows(user, rule)
