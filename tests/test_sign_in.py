"""
Signing in to the admin: wrong passwords are throttled by account and by
address, without letting anyone lock the newsroom out.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery staple"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def editor():
    user = make_user("olga", "Editor")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_wrong_passwords_lock_that_account_out_for_that_address_and_say_why(client, editor):
    for _ in range(LIMIT - 1):
        assert sign_in(client, "olga", "guess").status_code == 200  # the form, with its error

    refused = sign_in(client, "olga", "guess")
    right_password = sign_in(client, "olga", PASSWORD)

    assert refused.status_code == right_password.status_code == 429
    page = right_password.content.decode()
    assert "Sign-in refused for now" in page and "“olga”" in page
    assert "Try again in 15 minutes" in page


def test_the_account_still_signs_in_from_its_own_address(client, editor):
    for _ in range(LIMIT):
        sign_in(client, "olga", "guess", address="198.51.100.66")

    assert signed_in(sign_in(client, "olga", PASSWORD, address="203.0.113.7"))


def test_one_address_guessing_many_accounts_is_locked_out(client, editor):
    for n in range(LIMIT):
        sign_in(client, f"someone{n}", "guess", address="198.51.100.66")

    assert sign_in(client, "olga", PASSWORD, address="198.51.100.66").status_code == 429
    assert signed_in(sign_in(client, "olga", PASSWORD, address="203.0.113.7"))


def test_a_lockout_ends_after_fifteen_minutes(client, editor, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC))
    for _ in range(LIMIT):
        sign_in(client, "olga", "guess")
    assert sign_in(client, "olga", PASSWORD).status_code == 429

    time_machine.move_to(datetime.datetime(2026, 11, 30, 9, 16, tzinfo=datetime.UTC))

    assert signed_in(sign_in(client, "olga", PASSWORD))


def test_an_administrator_lifts_a_lockout_in_the_admin(client, editor):
    for _ in range(LIMIT):
        sign_in(client, "olga", "guess")
    admin = make_user("chief", is_superuser=True)
    client.force_login(admin)
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    data = {"action": "delete_selected", "_selected_action": attempts, "post": "yes"}

    response = client.post(reverse("admin:axes_accessattempt_changelist"), data)
    client.logout()

    assert response.status_code == 302
    assert signed_in(sign_in(client, "olga", PASSWORD))


def test_a_success_clears_the_count(client, editor):
    for _ in range(LIMIT - 1):
        sign_in(client, "olga", "guess")
    assert signed_in(sign_in(client, "olga", PASSWORD))
    client.logout()

    for _ in range(LIMIT - 1):
        sign_in(client, "olga", "guess")
    assert signed_in(sign_in(client, "olga", PASSWORD))
