"""The web tests' world (Huế, Lạng Sơn, their people), with the roles the permission
matrix walks: anonymous, Huế's data entry, Huế's official (read-only), Lạng Sơn's data
entry, the national official and a superuser."""

import pytest

from tests.web.conftest import world  # noqa: F401
from units.models import User


@pytest.fixture
def superuser(world):  # noqa: F811
    return User.objects.create_superuser(username="quantri", password="x-test-pass-9")


@pytest.fixture
def roles(world, superuser):  # noqa: F811
    return {
        "anonymous": None,
        "staff": world.staff,
        "official": world.official,
        "outsider": world.outsider,
        "national": world.national_official,
        "superuser": superuser,
    }
