explanation = render_explanation(
    image, segment_mask, segment_weights,
    positive=for_colour, negative=against_colour, coverage=0.2, opacity=0.7,
)
show_explanations([image, explanation], ["the photo", f"why {class_name!r}?"])
print(f"largest weight for: {segment_weights.max():.3f}; against: {segment_weights.min():.3f}")
