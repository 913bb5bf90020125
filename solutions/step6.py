explanation = render_explanation(
    image, segment_mask, segment_weights,
    positive=for_colour, negative=against_colour, coverage=0.2,
)
show_explanations([image, explanation], ["the photo", f"why {class_name!r}?"])
