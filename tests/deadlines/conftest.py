"""The agreements tests' cast (Huế and Lạng Sơn, their organizations and users)."""

from tests.agreements.conftest import (  # noqa: F401
    admin_client,
    hue,
    hue_communes,
    lang_son,
    make_agreement,
    make_input,
    make_review,
    orgs,
    users,
)
