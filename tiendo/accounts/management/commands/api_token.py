from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tiendo.accounts.services import apitoken_create
from tiendo.audit.services import Actor


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username}")
        # Whoever runs the command on the server, not the user the token is for.
        actor = Actor.system("manage api_token")
        self.stdout.write(apitoken_create(user=user, name=name, actor=actor))
