grey_levels = np.linspace(16, 239, 8).round().astype(np.uint8)  # eight flat greys, none of them black or mid-grey
hidden_levels = rng.choice(grey_levels, size=num_samples)  # one grey per sample: what its hidden segments show


def generate_images(image: np.ndarray, segment_mask: np.ndarray, samples: np.ndarray, hidden_levels: np.ndarray) -> np.ndarray:
    """Perturbed copies of image, one per sample: shape (len(samples), height, width, 3), image's dtype.
    The hidden segments of sample i show the flat grey hidden_levels[i], in the image's units."""
    # is each pixel's segment on? shape (len(samples), height, width)
    is_on = samples[:, segment_mask] == 1
    # the same for red, green and blue: shape (len(samples), height, width, 3)
    is_on = np.repeat(is_on[..., np.newaxis], 3, axis=-1)
    # one grey per image, shape (len(samples), 1, 1, 1): numpy stretches it
    greys = hidden_levels[:, np.newaxis, np.newaxis, np.newaxis]
    return np.where(is_on, image, greys)


images = generate_images(image, segment_mask, samples[:8], hidden_levels[:8])
print(f"images: shape {images.shape}, {images.dtype}; grey levels {grey_levels.tolist()}")
show_images(images, [f"sample {i}, grey {hidden_levels[i]}" if i else "sample 0: the photo" for i in range(8)])
