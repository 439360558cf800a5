from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """?page=N, and ?page_size=N up to max_page_size; a page that does not exist is a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
