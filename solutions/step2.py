def generate_samples(num_segments: int, num_samples: int, rng: np.random.Generator) -> np.ndarray:
    """Random on/off vectors of shape (num_samples, num_segments); row 0 is the original image."""
    # integers(0, 2) draws 0 or 1: the upper bound 2 is excluded
    samples = rng.integers(0, 2, size=(num_samples, num_segments))
    samples[0] = 1
    return samples


rng = np.random.default_rng(seed)
samples = generate_samples(num_segments, num_samples, rng)
print(f"samples: shape {samples.shape}, {samples.mean():.0%} of all entries are 1")
pd.DataFrame(samples[:5]).rename_axis(index="sample", columns="segment")
