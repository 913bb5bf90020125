hiding_colour = np.array([128, 128, 128], dtype=np.uint8)


def generate_images(image: np.ndarray, segment_mask: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """Perturbed copies of image, shape (num_samples, height, width, 3), dtype uint8."""
    pixel_is_on = samples.astype(bool)[:, segment_mask]
    return np.where(pixel_is_on[..., np.newaxis], image, hiding_colour)


images = generate_images(image, segment_mask, samples)
print(f"images: shape {images.shape}, {images.dtype}, {images.nbytes / 2**20:.0f} MiB")
show_images(images[:8], [f"sample {i}" for i in range(8)])
