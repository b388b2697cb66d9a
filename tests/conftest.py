"""Shared fixtures: the demo destination loaded once per test database, and a small cast of users.

The cast: alice is an editor (staff), bob is a signed-in traveller, and anonymous visitors use `client`.
"""

from __future__ import annotations

import shutil
import tempfile

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.test import Client
from pytest_django import DjangoDbBlocker

from tests.paths import DEMO


def pytest_configure(config: pytest.Config) -> None:
    # Uploaded and demo images go to a throw-away folder, not the checkout's var/media.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="tripwise-test-media-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    """Every test sees the demo destination; each test's own changes roll back."""
    from tripwise.demo import demo_load

    with django_db_blocker.unblock():
        demo_load(path=DEMO)


@pytest.fixture
def alice(db: None) -> User:
    user = User.objects.create_user("alice", "alice@example.org", "alice-password", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["places", "guides", "transit"])
    )
    return user


@pytest.fixture
def bob(db: None) -> User:
    return User.objects.create_user("bob", "bob@example.org", "bob-password")


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob: User) -> Client:
    client = Client()
    client.force_login(bob)
    return client


@pytest.fixture
def empty_world(db: None) -> None:
    """For tests that count rows from zero: the demo is removed inside the test's transaction (and comes back)."""
    from tripwise.places.models import Destination

    Destination.objects.all().delete()
