def one_ahead(batches):
    """Yield the items of the iterator `batches`, making the next one in a second thread meanwhile."""
    with ThreadPoolExecutor(max_workers=1) as helper:
        upcoming = helper.submit(next, batches, None)
        while (batch := upcoming.result()) is not None:
            upcoming = helper.submit(next, batches, None)
            yield batch


batch_size = 8  # images per call of the model: small batches keep memory low
model_input = preprocess_input(image.astype(np.float32))  # the photo in the model's scale, -1 to 1
hidden_input = preprocess_input(np.float32(hiding_colour))  # the hiding colour in the same scale


def predict_samples(samples: np.ndarray) -> np.ndarray:
    """The model's class probabilities for each sample's perturbed image, shape (len(samples), 1000)."""
    image_batches = (
        generate_images(model_input, segment_mask, samples[start:start + batch_size], hidden_input)
        for start in range(0, len(samples), batch_size)
    )
    return np.concatenate([model.predict_on_batch(images) for images in one_ahead(image_batches)])


predictions = predict_samples(samples)
class_probabilities = predictions[:, label_idx]
print(f"all {num_samples} images at once: {num_samples * model_input.nbytes / 2**20:.0f} MiB; one batch: {batch_size * model_input.nbytes / 2**20:.1f} MiB")
print(f"predictions: shape {predictions.shape}; class_probabilities: shape {class_probabilities.shape}")
