def predict_images(images: np.ndarray, batch_size: int = 100) -> np.ndarray:
    """The model's class probabilities for each image, shape (num_samples, 1000)."""
    batches = [
        model.predict(preprocess_input(images[start:start + batch_size].astype(np.float32)), verbose=0)
        for start in range(0, len(images), batch_size)
    ]
    return np.concatenate(batches)


predictions = predict_images(images)
class_probabilities = predictions[:, label_idx]
print(f"predictions: shape {predictions.shape}; class_probabilities: shape {class_probabilities.shape}")
