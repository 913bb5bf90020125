"""helpers.load_image, which the talk's load step calls: any photo becomes a 224x224 RGB uint8
array, and bad input gets one clear sentence instead of a traceback from deep inside Pillow."""

import numpy as np
import pytest
from PIL import Image

from notebook_cells import REPO, run_cells


@pytest.fixture(scope="module")
def load_image():
    import helpers

    return helpers.load_image


def test_the_talks_load_step_is_load_image_on_image_path(load_image):
    import matplotlib.pyplot as plt

    namespace = run_cells({}, "imports", "parameters", "load")
    plt.close("all")
    assert namespace["load_image"] is load_image
    assert np.array_equal(namespace["image"], load_image(str(REPO / namespace["image_path"])))


def assert_model_ready(image):
    assert image.shape == (224, 224, 3)
    assert image.dtype == np.uint8


def test_camera_png_is_loaded_unchanged(load_image):
    image = load_image(str(REPO / "camera.png"))
    assert_model_ready(image)
    assert np.array_equal(image, np.asarray(Image.open(REPO / "camera.png").convert("RGB")))


def test_greyscale_of_odd_size_becomes_rgb(load_image, tmp_path):
    ramp = np.tile(np.linspace(0, 255, 300).astype(np.uint8), (200, 1))  # 300 wide, 200 high
    Image.fromarray(ramp, "L").save(tmp_path / "grey.png")
    image = load_image(str(tmp_path / "grey.png"))
    assert_model_ready(image)
    assert np.array_equal(image[..., 0], image[..., 1]) and np.array_equal(image[..., 1], image[..., 2])
    assert image[:, 0].mean() < image[:, -1].mean()  # the ramp still runs from dark to light


def test_sixteen_bit_greyscale_keeps_its_contrast(load_image, tmp_path):
    ramp = np.tile(np.linspace(0, 65535, 256).astype(np.uint16), (256, 1))
    Image.fromarray(ramp).save(tmp_path / "grey16.png")
    image = load_image(str(tmp_path / "grey16.png"))
    assert_model_ready(image)
    assert image[:, :20].mean() < 30 and image[:, -20:].mean() > 225


def test_transparent_parts_of_rgba_become_white(load_image, tmp_path):
    rgba = np.zeros((224, 224, 4), dtype=np.uint8)
    rgba[:, 112:] = [255, 0, 0, 255]  # right half opaque red, left half fully transparent
    Image.fromarray(rgba, "RGBA").save(tmp_path / "half.png")
    image = load_image(str(tmp_path / "half.png"))
    assert_model_ready(image)
    assert (image[:, :100] == 255).all()
    assert (image[:, 124:] == [255, 0, 0]).all()


def test_wide_jpeg_is_centre_cropped_not_squashed(load_image, tmp_path):
    photo = np.zeros((427, 640, 3), dtype=np.uint8)
    photo[:, :] = [0, 200, 0]
    photo[:, :100] = photo[:, -100:] = [0, 0, 200]  # blue bands outside the centred 427x427 square
    Image.fromarray(photo).save(tmp_path / "wide.jpg", quality=95)
    image = load_image(str(tmp_path / "wide.jpg"))
    assert_model_ready(image)
    assert image[..., 2].max() < 60 and image[..., 1].min() > 150  # only green left


def test_tiny_image_is_scaled_up(load_image, tmp_path):
    Image.fromarray(np.full((16, 16, 3), 90, dtype=np.uint8)).save(tmp_path / "tiny.png")
    image = load_image(str(tmp_path / "tiny.png"))
    assert_model_ready(image)
    assert (image == 90).all()


def test_palette_image_is_converted(load_image, tmp_path):
    Image.new("RGB", (120, 80), (10, 120, 230)).convert("P").save(tmp_path / "palette.png")
    image = load_image(str(tmp_path / "palette.png"))
    assert_model_ready(image)


def test_the_load_step_says_what_it_did(load_image, tmp_path, capsys):
    Image.new("L", (640, 427)).save(tmp_path / "photo.png")
    load_image(str(tmp_path / "photo.png"))
    said = capsys.readouterr().out
    assert "640×427 L" in said and "224×224 RGB" in said


def test_missing_file_gives_one_clear_sentence(load_image, tmp_path):
    missing = str(tmp_path / "no-such-photo.jpg")
    with pytest.raises(FileNotFoundError) as raised:
        load_image(missing)
    assert str(raised.value) == f"There is no file {missing!r}: set image_path to the path of a photo."
    assert raised.value.__suppress_context__  # no chained traceback from Pillow


def test_a_file_that_is_not_an_image_gives_one_clear_sentence(load_image, tmp_path):
    (tmp_path / "notes.txt").write_text("not a photo")
    with pytest.raises(ValueError, match="is not an image Pillow can read: use a JPEG or PNG photo"):
        load_image(str(tmp_path / "notes.txt"))


def test_a_truncated_image_gives_one_clear_sentence(load_image, tmp_path):
    Image.new("RGB", (300, 300), (200, 10, 10)).save(tmp_path / "whole.png")
    (tmp_path / "broken.png").write_bytes((tmp_path / "whole.png").read_bytes()[:100])
    with pytest.raises(ValueError, match="is not an image Pillow can read"):
        load_image(str(tmp_path / "broken.png"))
