"""The API's endpoints, one router per resource; ``practica.api.urls`` mounts them."""
