"""The newsroom's roles, as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TAXONOMY = ["section", "place", "author", "agency", "tag"]

ROLES = {
    # Writes and edits drafts; may look up the taxonomy to file them.
    "Reporter": ["add_article", "change_article", "view_article"]
    + [f"view_{model}" for model in TAXONOMY],
    # Everything on articles, publishing included.
    "Editor": [
        "add_article",
        "change_article",
        "delete_article",
        "view_article",
        "publish_article",
    ]
    + [f"view_{model}" for model in TAXONOMY],
    # Keeps tags, bylines, places, sections and agencies clean.
    "Taxonomy staff": [
        f"{action}_{model}" for model in TAXONOMY for action in ("add", "change", "delete", "view")
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # sure ours exist now so the groups can be given them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
