"""What every page needs: the user's scope and the navigation of every app.

An app offers pages in the menu by giving its AppConfig `nav_items`: tuples of (order,
label, url name, action), where action is the `tiendo.accounts.access.Action` the user must
be allowed somewhere in their scope to see the item.
"""

from django.apps import apps
from django.urls import reverse

from tiendo.accounts.access import user_scope
from tiendo.accounts.models import Role
from tiendo.data.review import submissions_returned


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = user_scope(user)
    items = []
    for config in apps.get_app_configs():
        for order, label, url_name, action in getattr(config, "nav_items", ()):
            if scope.allows(action):
                items.append((order, {"label": label, "url": reverse(url_name),
                                      "current": False}))
    # The current item is the longest menu address the page lies under ("/reports/schedules/"
    # over "/reports/"); the dashboard at "/" only for itself.
    under = [item for _order, item in items
             if request.path == item["url"] or (item["url"] != "/"
                                                and request.path.startswith(item["url"]))]
    if under:
        max(under, key=lambda item: len(item["url"]))["current"] = True
    return {
        "returned_reports": submissions_returned(user),
        "scope": scope,
        "scope_role_label": Role(scope.role).label if scope.role else "",
        "nav_items": [item for _order, item in sorted(items, key=lambda pair: pair[0])],
    }
