def fit_surrogate(samples: np.ndarray, class_probabilities: np.ndarray, sample_weights: np.ndarray) -> Ridge:
    """The locality-weighted linear surrogate; its coef_ holds one weight per segment."""
    surrogate = Ridge(alpha=1.0)
    surrogate.fit(samples, class_probabilities, sample_weight=sample_weights)
    return surrogate


surrogate = fit_surrogate(samples, class_probabilities, sample_weights)
segment_weights = surrogate.coef_
print(f"segment_weights: shape {segment_weights.shape}")
