kernel_width = 0.25


def compute_distances(samples: np.ndarray) -> np.ndarray:
    """Cosine distance of each sample to the original image (all ones): 1 - sqrt(k / n)."""
    # the share of segments each sample shows
    shown = samples.sum(axis=1) / samples.shape[1]
    return 1 - np.sqrt(shown)


def exponential_kernel(distances: np.ndarray, width: float) -> np.ndarray:
    """LIME's locality weight of each sample: 1 at distance 0, falling off with distance."""
    return np.sqrt(np.exp(-(distances**2) / width**2))


distances = compute_distances(samples)
sample_weights = exponential_kernel(distances, kernel_width)
print(f"distances: shape {distances.shape}; the original has distance {distances[0]:.1f} and weight {sample_weights[0]:.1f}")
