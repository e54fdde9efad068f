from django.urls import reverse

from agreements.models import FocusArea
from units.models import AdministrativeUnit


def test_units_browse_a_province_to_its_communes_with_codes(client, world):
    client.force_login(world.outsider)
    body = client.get(reverse("registry:units_list"), {"province": world.hue.pk}).content.decode()
    commune = AdministrativeUnit.objects.current().communes().filter(parent=world.hue).first()
    assert commune.code in body and commune.name in body
    page = client.get(reverse("registry:units_detail", args=[world.hue.pk])).content.decode()
    assert commune.name in page


def test_a_catalogue_shows_its_english_name_in_english(client, world, superuser):
    area = FocusArea.objects.first()
    client.force_login(superuser)
    response = client.post(
        reverse("registry:focus_areas_edit", args=[area.pk]),
        {
            "code": area.code,
            "name": area.name,
            "name_en": "Information exchange",
            "order": area.order,
            "version": area.version,
        },
    )
    assert response.status_code == 302
    client.cookies["django_language"] = "en"
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(reverse("registry:focus_areas_list")).content.decode()
    assert "Information exchange" in body
    area.refresh_from_db()
    assert area.version == 2


def test_the_units_page_names_its_data_source_and_version(client, world):
    from units.selectors import units_source

    source = units_source()
    assert source is not None
    client.force_login(world.staff)
    body = client.get(reverse("registry:units_list")).content.decode()
    assert f"{source.source} {source.source_version}" in body


def test_an_admin_marks_border_communes_in_the_browser_all_or_nothing(client, world, superuser):
    commune = AdministrativeUnit.objects.current().communes().filter(parent=world.hue).first()
    AdministrativeUnit.objects.filter(pk=commune.pk).update(is_border=False)
    client.force_login(superuser)
    url = reverse("units:border_mark")
    response = client.post(url, {"codes": f"{commune.code} 99999", "valid_from": "01/07/2025"})
    assert response.status_code == 200
    assert "99999" in response.content.decode()
    commune.refresh_from_db()
    assert commune.is_border is False
    response = client.post(url, {"codes": commune.code, "valid_from": "01/07/2025"})
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.is_border is True


def test_only_admins_mark_border_communes(client, world):
    client.force_login(world.staff)
    assert client.get(reverse("units:border_mark")).status_code == 403


def test_a_catalogue_search_ignores_diacritics_and_needs_every_word(client, world):
    from units.text import fold

    areas = list(FocusArea.objects.order_by("order"))
    target = next(a for a in areas if len(a.name.split()) >= 2 and fold(a.name) != a.name.lower())
    words = fold(target.name).split()[:2]
    client.force_login(world.outsider)
    url = reverse("registry:focus_areas_list")
    body = client.get(url, {"q": " ".join(words).upper()}).content.decode()
    assert target.name in body
    others = [a for a in areas if not all(w in fold(a.name + " " + a.code) for w in words)]
    assert others and all(a.name not in body for a in others)
    body = client.get(url, {"q": f"{words[0]} khongcotu"}).content.decode()
    assert target.name not in body
