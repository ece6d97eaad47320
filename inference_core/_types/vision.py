"""Output and input types of the vision tasks (image_classification,
image_segmentation, image_to_image, image_to_text, object_detection, text_to_image,
text_to_video, zero_shot_image_classification)."""

__all__: list[str] = []
