"""The Wire sources screens: setting a source up, and seeing how its checks went."""

import datetime
import os

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles import wire
from articles.models import WireReceipt, WireSource
from articles.wire import sources
from tests.factories import make_article, make_editor, make_reporter, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_wiresource_changelist")
ADD = reverse("admin:articles_wiresource_add")


def form(**fields):
    data = {"name": "TASS by FTP", "kind": "folder", "address": "/srv/wire/tass", "interval": "60",
            "credentials_variable": "", "agency": "", "section": "", "enabled": "on"}  # fmt: skip
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def test_an_editor_sets_up_a_drop_folder(client):
    client.force_login(make_editor())

    response = client.post(ADD, form())

    assert response.status_code == 302
    source = WireSource.objects.get()
    assert (source.kind, source.address, source.publish) == ("folder", "/srv/wire/tass", False)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"address": "wire/tass"}, "address", "A drop folder's full path, starting with /."),
        ({"kind": "feed", "address": "ftp://wire.example.org/"}, "address",
         "A feed's address, starting with http:// or https://."),
        ({"credentials_variable": "TASS_LOGIN"}, "credentials_variable",
         "A drop folder needs no credentials."),
        ({"kind": "feed", "address": "https://wire.example.org/", "credentials_variable": "tass login"},
         "credentials_variable", "Capital letters, digits and _ only."),
        ({"interval": "1"}, "interval", "Ensure this value is greater than or equal to 5."),
    ],
)  # fmt: skip
def test_a_source_set_up_wrongly_is_refused_with_the_reason(admin_client, fields, field, message):
    response = admin_client.post(ADD, form(**fields))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert not WireSource.objects.exists()


def test_only_those_who_may_publish_can_make_a_source_publish(client):
    keeper = make_user("keeper")  # may keep sources, not publish stories
    keeper.user_permissions.add(*Permission.objects.filter(codename__endswith="_wiresource"))
    client.force_login(keeper)

    refused = client.post(ADD, form(publish="on"))
    client.force_login(make_editor())
    allowed = client.post(ADD, form(publish="on"))

    assert refused.context["adminform"].form.errors["publish"] == [
        "Only editors who may publish can make a source publish."
    ]
    assert allowed.status_code == 302 and WireSource.objects.get().publish


def test_reporters_do_not_see_the_wire_sources(client):
    client.force_login(make_reporter())

    assert client.get(CHANGELIST).status_code == 403


def test_the_list_shows_last_success_last_error_and_items_today(admin_client, tmp_path):
    (tmp_path / "story.txt").write_text("Ferry resumes\n\nOSLO, Nov 30 - The ferry ran.\n")
    old = timezone.now().timestamp() - 60
    os.utime(tmp_path / "story.txt", (old, old))
    (tmp_path / "cut.xml").write_text("<newsItem><contentSet>")
    os.utime(tmp_path / "cut.xml", (old, old))
    source = WireSource.objects.create(name="Oslo", address=str(tmp_path))
    sources.check(source, by=wire.system_user())
    yesterday = timezone.now() - datetime.timedelta(days=2)
    WireReceipt.objects.create(key="x" * 64, source=source, guid="old", action="create",
                               article=make_article(), received_at=yesterday)  # fmt: skip

    response = admin_client.get(CHANGELIST)

    row = response.context["cl"].result_list[0]
    assert row.taken_today == 1  # yesterday's not counted
    text = response.content.decode()
    assert "cut.xml: truncated XML" in text
    change = admin_client.get(reverse("admin:articles_wiresource_change", args=[source.pk]))
    assert change.context["adminform"].form.instance.last_success_at == source.last_success_at


def test_check_now_makes_the_chosen_sources_due_at_once(admin_client):
    later = timezone.now() + datetime.timedelta(hours=1)
    source = WireSource.objects.create(name="Slow", address="/srv/slow", next_check_at=later)

    response = admin_client.post(
        CHANGELIST, {"action": "check_now", "_selected_action": [source.pk]}, follow=True
    )

    assert sources.due() == [source]
    assert "1 source will be checked within seconds" in response.content.decode()
