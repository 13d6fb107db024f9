from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tiendo.accounts.selectors import apitokens_list
from tiendo.accounts.services import apitoken_create, apitoken_revoke
from tiendo.audit.services import Actor


class Command(BaseCommand):
    help = ("Create an API token for a user and print it (it is shown only once); "
            "or list tokens (--list), or revoke one by its id (--revoke).")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument("--days", type=int, help="how many days it works (default: "
                            "TIENDO_API_TOKEN_DAYS)")
        parser.add_argument("--list", action="store_true",
                            help="list the tokens (of the user, if one is named)")
        parser.add_argument("--revoke", type=int, metavar="ID", help="revoke the token ID")

    def handle(self, *args, username, name, days, list, revoke, **options):
        # Whoever runs the command on the server, not the user the token is for.
        actor = Actor.system("manage api_token")
        if list:
            self._list(username)
            return
        if revoke is not None:
            api_token = apitokens_list().filter(pk=revoke).first()
            if api_token is None:
                raise CommandError(f"no API token {revoke}")
            done = apitoken_revoke(api_token=api_token, actor=actor)
            self.stdout.write(f"revoked {revoke}" if done else f"{revoke} was already revoked")
            return
        if not username:
            raise CommandError("name a user, or give --list or --revoke")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username}")
        self.stdout.write(apitoken_create(user=user, name=name, actor=actor, days=days))

    def _list(self, username):
        for token in apitokens_list(username=username or ""):
            state = (f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at
                     else f"expires {token.expires_at:%Y-%m-%d %H:%M}")
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.pk}\t{token.user.get_username()}\t{token.name}\t"
                              f"{state}\tlast used {used}")
