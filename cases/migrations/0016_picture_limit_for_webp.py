"""The help text of a picture names the lower pixel limit of WebP (cases.images)."""

import cases.models.pictures
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_status_change_public_id_unique"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalpicture",
            name="image",
            field=models.TextField(
                help_text="A JPEG, PNG or WebP file of at most 10 MB and 40 million pixels (16 million for WebP). Its hidden data (where and when it was taken, the camera) is removed on upload; the file itself is not kept.",
                max_length=100,
                verbose_name="image",
            ),
        ),
        migrations.AlterField(
            model_name="picture",
            name="image",
            field=cases.models.pictures.PictureImageField(
                help_text="A JPEG, PNG or WebP file of at most 10 MB and 40 million pixels (16 million for WebP). Its hidden data (where and when it was taken, the camera) is removed on upload; the file itself is not kept.",
                upload_to=cases.models.pictures.picture_file_name,
                verbose_name="image",
            ),
        ),
    ]
