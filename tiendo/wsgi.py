import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")
application = get_wsgi_application()

# What start-up loaded (Django, the apps, the catalogue's modules: ~190 k objects) lives as
# long as the process. Frozen, a full collection during a request walks that request's
# objects only: the dashboard of a province with its communes went from a median of
# 229–260 ms to 154–178 ms on the bench (bench/RESULTS.md), its best unchanged.
gc.collect()
gc.freeze()
