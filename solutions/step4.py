def predict_samples(samples: np.ndarray, hidden_levels: np.ndarray) -> np.ndarray:
    """The model's class probabilities for each sample's perturbed image, shape (len(samples), 1000).
    The hidden segments of sample i show the grey hidden_levels[i]."""
    predictions = []
    for images in one_ahead(image_batches(samples, hidden_levels)):
        predictions.append(model.predict_on_batch(images))
    return np.concatenate(predictions)


predictions = predict_samples(samples, hidden_levels)
class_probabilities = predictions[:, label_idx]
print(f"predictions: shape {predictions.shape}; class_probabilities: shape {class_probabilities.shape}")
