def fit_shapley(samples, class_probabilities, sample_weights, photo_probability, hidden_probability):
    """Shapley values: the weighted linear fit with no regulariser whose intercept is f(all hidden) and whose
    weights add up to f(photo) - f(all hidden). Samples of infinite weight are left out: they are the constraints."""
    rows = np.isfinite(sample_weights)
    samples, sample_weights = samples[rows], sample_weights[rows]
    above_hidden = class_probabilities[rows] - hidden_probability  # f(z) - f(all hidden)
    total = photo_probability - hidden_probability  # what the weights must add up to
    # the last weight is total minus the others: a plain fit of the other M - 1
    others = samples[:, :-1] - samples[:, -1:]  # z'_i - z'_M
    target = above_hidden - samples[:, -1] * total
    root = np.sqrt(sample_weights)  # weighted least squares: rows times sqrt(weight)
    weighted = others * root[:, np.newaxis]
    other_values = np.linalg.lstsq(weighted, target * root, rcond=None)[0]
    return np.append(other_values, total - other_values.sum())


all_hidden = np.zeros((len(grey_levels), num_segments), dtype=int)  # every segment hidden, once with each grey
hidden_probability = predict_samples(all_hidden, grey_levels)[:, label_idx].mean()  # f(all hidden): the mean over the greys
photo_probability = class_probabilities[0]  # sample 0 shows every segment: it is the photo
shapley_values = fit_shapley(samples, class_probabilities, shapley_weights, photo_probability, hidden_probability)
print(f"f(photo) = {photo_probability:.3f}, f(all hidden) = {hidden_probability:.3f}; "
      f"shapley_values: shape {shapley_values.shape}")
print(f"top-5 segments: LIME {np.argsort(segment_weights)[::-1][:5].tolist()}, "
      f"Shapley values {np.argsort(shapley_values)[::-1][:5].tolist()}")
shapley_picture = render_explanation(
    image, segment_mask, shapley_values, positive=for_colour, negative=against_colour, coverage=0.2
)
show_explanations([explanation, shapley_picture], ["LIME", "Shapley values"])
