def create_segments(image: np.ndarray) -> np.ndarray:
    """SLIC superpixels of image: shape (height, width), each pixel's segment number."""
    return slic(image, n_segments=125, compactness=10, start_label=0)


segment_mask = create_segments(image)
num_segments = segment_mask.max() + 1
print(f"segment_mask: shape {segment_mask.shape}, {num_segments} segments (125 asked for)")
show_segments(image, segment_mask, "SLIC superpixels")
