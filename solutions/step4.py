def predict_samples(model, image: np.ndarray, segment_mask: np.ndarray, samples: np.ndarray,
                    hidden_levels: np.ndarray, batch_size: int = 8) -> np.ndarray:
    """The model's 1000 class probabilities for each sample's image: (len(samples), 1000)."""
    predictions = []
    for start in range(0, len(samples), batch_size):
        rows = slice(start, start + batch_size)
        images = generate_images(image, segment_mask,
                                 samples[rows], hidden_levels[rows])
        model_input = preprocess_input(images.astype(np.float32))  # to -1 .. 1
        predictions.append(model.predict_on_batch(model_input))
    return np.concatenate(predictions)


predictions = predict_samples(model, image, segment_mask, samples, hidden_levels)
class_probabilities = predictions[:, label_idx]
print(f"predictions: shape {predictions.shape}; class_probabilities: shape {class_probabilities.shape}")
