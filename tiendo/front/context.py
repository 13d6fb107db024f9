"""What every page needs: the user's scope and the navigation of every app.

An app offers pages in the menu by giving its AppConfig `nav_items`: tuples of (order,
label, url name, action), where action is the `tiendo.accounts.access.Action` the user must
be allowed somewhere in their scope to see the item.
"""

from django.apps import apps
from django.urls import reverse

from tiendo.accounts.access import user_scope
from tiendo.accounts.models import Role


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = user_scope(user)
    items = []
    for config in apps.get_app_configs():
        for order, label, url_name, action in getattr(config, "nav_items", ()):
            if scope.allows(action):
                url = reverse(url_name)
                items.append((order, {"label": label, "url": url,
                                      "current": request.path.startswith(url) and url != "/"
                                      or request.path == url}))
    return {
        "scope": scope,
        "scope_role_label": Role(scope.role).label if scope.role else "",
        "nav_items": [item for _order, item in sorted(items, key=lambda pair: pair[0])],
    }
