"""
The picture library on S3-compatible object storage, end to end against a
real S3 server (moto's, in server mode, started here on a free port): an
upload in the admin, its clean copy and renditions written to the bucket,
a published story's pages pointing at them, and each address answering
with a picture of the size its srcset claims. Without the server this
fails in CI (CI=1) and is skipped elsewhere.
"""

import io
import json
import os
import re
import subprocess
import sys
import urllib.request
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Picture
from newsroom.settings import media_origins, s3_storage
from tests.factories import make_live, make_user, photo_bytes

pytestmark = pytest.mark.django_db

KEYS = {"AWS_ACCESS_KEY_ID": "newsroom-test", "AWS_SECRET_ACCESS_KEY": "newsroom-test-secret"}


@pytest.fixture(scope="module")
def s3_server():
    try:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
    except (ImportError, OSError) as error:
        if os.environ.get("CI"):
            raise RuntimeError(f"The S3 test server cannot start: {error}") from error
        pytest.skip(f"no S3 test server: {error}")
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(settings, monkeypatch, s3_server):
    """A fresh bucket, made the site's storage as the environment variables would make it."""
    import boto3

    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    name = f"newsroom-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    # Readers fetch pictures straight from the bucket, as README says to set it up.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{name}/*"}],
    }  # fmt: skip
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read))
    environ = {"AWS_STORAGE_BUCKET_NAME": name, "AWS_S3_ENDPOINT_URL": s3_server}
    storage = s3_storage(environ)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    policy = django_settings.CONTENT_SECURITY_POLICY
    img_src = [*policy["DIRECTIVES"]["img-src"], *media_origins(storage)]
    directives = {**policy["DIRECTIVES"], "img-src": img_src}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return client, name, s3_server


def fetched(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers, response.read()


def test_upload_renditions_and_pages_on_object_storage(client, bucket):
    s3, name, endpoint = bucket
    client.force_login(make_user("desk", "Picture desk"))
    upload = SimpleUploadedFile("IMG_0001.eps", photo_bytes((1600, 1200)))
    data = {"file": upload, "caption": "Ice on the Neva", "alt_text": "Broken ice"}
    data.update(focal_x="0.5", focal_y="0.5")

    response = client.post(reverse("admin:articles_picture_add"), data)

    assert response.status_code == 302
    picture = Picture.objects.get()
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=name)["Contents"]}
    assert picture.file.name in keys and picture.file.name.endswith(".jpg")
    assert {r.file.name for r in picture.renditions.all()} <= keys
    assert len(keys) == 1 + picture.renditions.count()

    story = make_live(headline="Spring comes early", picture=picture)
    page = client.get(story.get_absolute_url())
    html = page.content.decode()
    assert endpoint in page["Content-Security-Policy"].split("img-src")[1].split(";")[0]

    lead = re.search(r"<picture.*?</picture>", html, re.DOTALL).group(0)
    srcsets = re.findall(r'srcset="([^"]*)"', lead)
    assert len(srcsets) == len({r.format for r in picture.renditions.all()})
    for srcset in srcsets:
        for entry in srcset.split(", "):
            url, width = entry.rsplit(" ", 1)
            assert url.startswith(f"{endpoint}/{name}/renditions/")
            headers, body = fetched(url)
            image = Image.open(io.BytesIO(body))
            assert image.width == int(width.removesuffix("w"))
            assert headers["Content-Type"] == f"image/{image.format.lower()}"
            assert "immutable" in headers["Cache-Control"]
    src = re.search(r'<img src="([^"]*)"', lead).group(1)
    assert Image.open(io.BytesIO(fetched(src)[1])).format == "JPEG"

    front = client.get("/").content.decode()
    assert re.search(rf'<img src="{re.escape(endpoint)}/{name}/renditions/', front)


def test_the_environment_switches_storage_to_s3():
    env = {
        **os.environ,
        "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
        "AWS_S3_ENDPOINT_URL": "https://objects.example.net",
        "DEBUG": "1",
    }
    code = (
        "import newsroom.settings as s; "
        "print(s.STORAGES['default']['BACKEND']); "
        "print(s.STORAGES['default']['OPTIONS']['bucket_name']); "
        "print(' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    backend, bucket_name, img_src = out.stdout.splitlines()
    assert backend == "storages.backends.s3.S3Storage" and bucket_name == "newsroom-media"
    assert "https://objects.example.net" in img_src.split()
