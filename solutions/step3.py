hiding_colour = 128  # mid-grey, in red, green and blue


def generate_images(image: np.ndarray, segment_mask: np.ndarray, samples: np.ndarray, hiding_colour) -> np.ndarray:
    """Perturbed copies of image, one per sample: shape (len(samples), height, width, 3), image's dtype."""
    channel_segment_mask = np.repeat(segment_mask[..., np.newaxis], 3, axis=-1)  # each colour value's segment
    is_on = np.take(samples.astype(bool), channel_segment_mask, axis=1)  # shape (len(samples), height, width, 3)
    return np.where(is_on, image, hiding_colour)


images = generate_images(image, segment_mask, samples[:8], hiding_colour)
print(f"images: shape {images.shape}, {images.dtype}")
show_images(images, [f"sample {i}" for i in range(8)])
