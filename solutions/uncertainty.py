def weight_intervals(samples, class_probabilities, sample_weights, rng, refits=200):
    """A 95 % interval for every segment weight, shape (num_segments, 2): low and high."""
    resampled_weights = []
    for rows in rng.integers(0, len(samples), size=(refits, len(samples))):
        refit = fit_surrogate(
            samples[rows], class_probabilities[rows], sample_weights[rows]
        )
        resampled_weights.append(refit.coef_)
    return np.percentile(resampled_weights, [2.5, 97.5], axis=0).T


segment_weight_intervals = weight_intervals(
    samples, class_probabilities, sample_weights, np.random.default_rng(seed)
)
print(f"segment_weight_intervals: shape {segment_weight_intervals.shape}")
