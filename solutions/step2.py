def generate_samples(num_segments: int, num_samples: int, rng: np.random.Generator,
                     keep_chance: float = 0.8) -> np.ndarray:
    """Random on/off rows, shape (num_samples, num_segments); row 0 shows every segment."""
    # rng.random() draws evenly from 0 to 1: below keep_chance with chance keep_chance
    samples = (rng.random((num_samples, num_segments)) < keep_chance).astype(int)
    samples[0] = 1
    return samples


rng = np.random.default_rng(seed)
samples = generate_samples(num_segments, num_samples, rng)
print(f"samples: shape {samples.shape}, {samples.mean():.0%} of all entries are 1")
pd.DataFrame(samples[:5, :12]).rename_axis(index="sample", columns="segment")
