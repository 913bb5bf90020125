grey_levels = np.linspace(16, 239, 8).round().astype(np.uint8)  # eight flat greys, dark to light
hidden_levels = rng.choice(grey_levels, size=num_samples)  # one grey per sample


def generate_images(image: np.ndarray, segment_mask: np.ndarray, samples: np.ndarray,
                    hidden_levels: np.ndarray) -> np.ndarray:
    """One perturbed copy of image per sample, shape (len(samples), height, width, 3).
    The hidden segments of sample i show the grey hidden_levels[i]."""
    is_on = samples[:, segment_mask, np.newaxis] == 1  # (samples, height, width, 1)
    greys = hidden_levels.reshape(-1, 1, 1, 1)  # one grey per image
    return np.where(is_on, image, greys)


images = generate_images(image, segment_mask, samples[:8], hidden_levels[:8])
print(f"images: shape {images.shape}, {images.dtype}; grey levels {grey_levels.tolist()}")
show_images(images, ["sample 0: the photo"] + [f"sample {i}, grey {hidden_levels[i]}" for i in range(1, 8)])
