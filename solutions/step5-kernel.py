kernel_width = 0.25


def compute_distances(samples: np.ndarray) -> np.ndarray:
    """Each sample's distance to the photo, shape (len(samples),): 1 - sqrt(k / n)."""
    shown = samples.sum(axis=1) / samples.shape[1]  # the share of segments shown
    return 1 - np.sqrt(shown)


def exponential_kernel(distances: np.ndarray, width: float) -> np.ndarray:
    """LIME's locality weight of each sample: 1 at distance 0, falling off with distance."""
    return np.exp(-(distances**2) / (2 * width**2))


sample_weights = exponential_kernel(compute_distances(samples), kernel_width)
low, high = np.percentile(sample_weights[1:], [5, 95])
print(f"sample_weights: shape {sample_weights.shape}; 90 % of them lie between {low:.2f} and {high:.2f}")
