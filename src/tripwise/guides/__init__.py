"""Travel guides: articles that editors write, draft and publish, with illustrated sections."""
