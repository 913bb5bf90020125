def predict_samples(samples: np.ndarray, hidden_value=hidden_input) -> np.ndarray:
    """The model's class probabilities for each sample's perturbed image, shape (len(samples), 1000).
    Hidden segments show hidden_value, in the model's scale: the blurred copy, unless we say otherwise."""
    predictions = []
    for images in one_ahead(image_batches(samples, hidden_value)):
        predictions.append(model.predict_on_batch(images))
    return np.concatenate(predictions)


predictions = predict_samples(samples)
class_probabilities = predictions[:, label_idx]
print(f"predictions: shape {predictions.shape}; class_probabilities: shape {class_probabilities.shape}")
