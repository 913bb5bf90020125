blur_sigma = 10  # how far the blur spreads each pixel, in pixels
hiding_image = gaussian(image, sigma=blur_sigma, channel_axis=-1, preserve_range=True).round().astype(np.uint8)


def generate_images(image: np.ndarray, segment_mask: np.ndarray, samples: np.ndarray, hidden_value) -> np.ndarray:
    """Perturbed copies of image, one per sample: shape (len(samples), height, width, 3), image's dtype."""
    # is each pixel's segment on? shape (len(samples), height, width)
    is_on = samples[:, segment_mask] == 1
    # the same for red, green and blue: shape (len(samples), height, width, 3)
    is_on = np.repeat(is_on[..., np.newaxis], 3, axis=-1)
    return np.where(is_on, image, hidden_value)


images = generate_images(image, segment_mask, samples[:8], hiding_image)
print(f"images: shape {images.shape}, {images.dtype}")
show_images(images, [f"sample {i}" for i in range(8)])
