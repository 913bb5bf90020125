explanation = render_explanation(image, segment_mask, segment_weights, positive="green", negative="red", coverage=0.2)
show_images([image, explanation], ["the photo", f"why {class_name!r}?"], columns=2, size=5)
